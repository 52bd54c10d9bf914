package io.meshguard.mesh;

import java.util.List;
import java.util.Map;

/**
 * The compact, immutable facts about one ServiceEntry that the listener rules need. The index keeps
 * these instead of whole objects.
 *
 * @param createdMillis {@code metadata.creationTimestamp}; for an object not yet persisted, the time of review
 * @param exportTo as written; empty means unset, so the mesh default applies
 * @param annotations the entry's {@code meshguard.io/} annotations only: the index keeps no others
 */
public record ServiceEntryFacts(
        EntryKey key,
        String uid,
        long createdMillis,
        List<String> hosts,
        List<ServicePort> ports,
        List<String> addresses,
        List<String> statusAddresses,
        List<String> exportTo,
        Resolution resolution,
        Map<String, String> annotations) {

    public ServiceEntryFacts {
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
        addresses = List.copyOf(addresses);
        statusAddresses = List.copyOf(statusAddresses);
        exportTo = exportTo.stream().map(String::intern).toList();
        annotations = Map.copyOf(annotations);
    }

    /** An entry without annotations: what the listener rules see of most entries. */
    public ServiceEntryFacts(EntryKey key, String uid, long createdMillis, List<String> hosts, List<ServicePort> ports,
            List<String> addresses, List<String> statusAddresses, List<String> exportTo, Resolution resolution) {
        this(key, uid, createdMillis, hosts, ports, addresses, statusAddresses, exportTo, resolution, Map.of());
    }

    public String namespace() {
        return key.namespace();
    }

    public String name() {
        return key.name();
    }

    public Visibility visibility(MeshConfig mesh) {
        return Visibility.of(namespace(), exportTo, mesh.defaultServiceExportTo());
    }

    /** Auto-allocated addresses bind only on proxies that capture DNS, and only when none are written. */
    public List<BindKey> bindKeys(MeshConfig mesh) {
        if (addresses.isEmpty() && mesh.dnsCapture() && !statusAddresses.isEmpty()) {
            return Addresses.bindKeys(statusAddresses);
        }
        return Addresses.bindKeys(addresses);
    }

    /** The host Istio sorts this entry by: its smallest, since each host is a service of its own. */
    public String sortHost() {
        return hosts.stream().min(String::compareTo).orElse("");
    }

    public boolean sharesHostWith(ServiceEntryFacts other) {
        for (String host : hosts) {
            if (other.hosts.contains(host)) {
                return true;
            }
        }
        return false;
    }

    /** Same spec as far as the rules can tell; used to match an informer event to a reservation. */
    public boolean sameSpec(ServiceEntryFacts other) {
        return key.equals(other.key) && hosts.equals(other.hosts) && ports.equals(other.ports)
                && addresses.equals(other.addresses) && exportTo.equals(other.exportTo)
                && resolution == other.resolution;
    }
}
