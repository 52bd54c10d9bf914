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
 * @param statusHosts for each of {@code statusAddresses}, the host it was allocated for ({@code status.addresses[].host});
 *     empty when not known
 * @param autoAllocateOptOut the label {@code networking.istio.io/enable-autoallocate-ip} is {@code false}
 * @param declaration a digest of the rest of the spec that makes two declarations of a host differ (endpoints,
 *     workloadSelector, location, subjectAltNames); empty when not read
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
        Map<String, String> annotations,
        List<String> statusHosts,
        boolean autoAllocateOptOut,
        String declaration) {

    public ServiceEntryFacts {
        statusHosts = List.copyOf(statusHosts);
        declaration = declaration == null ? "" : declaration;
        hosts = List.copyOf(hosts);
        ports = List.copyOf(ports);
        addresses = List.copyOf(addresses);
        statusAddresses = List.copyOf(statusAddresses);
        exportTo = exportTo.stream().map(String::intern).toList();
        annotations = Map.copyOf(annotations);
    }

    public ServiceEntryFacts(EntryKey key, String uid, long createdMillis, List<String> hosts, List<ServicePort> ports,
            List<String> addresses, List<String> statusAddresses, List<String> exportTo, Resolution resolution,
            Map<String, String> annotations) {
        this(key, uid, createdMillis, hosts, ports, addresses, statusAddresses, exportTo, resolution, annotations,
                List.of(), false, "");
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
                && resolution == other.resolution && autoAllocateOptOut == other.autoAllocateOptOut
                && declaration.equals(other.declaration);
    }
}
