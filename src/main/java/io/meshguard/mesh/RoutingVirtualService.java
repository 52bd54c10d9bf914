package io.meshguard.mesh;

import java.util.List;

/**
 * A VirtualService already in the cluster, as far as the SNI VirtualService must avoid it: the hosts it
 * routes, whether it is bound to {@code mesh}, its export scope, and, when meshguard generated it, the entry
 * that owns it (see {@link CompanionOwner}).
 *
 * @param owner the owning ServiceEntry when meshguard manages this VirtualService, otherwise null
 */
public record RoutingVirtualService(
        String namespace, String name, List<String> hosts, List<String> gateways, List<String> exportTo,
        EntryKey owner) {

    public static final String MESH = "mesh";

    public RoutingVirtualService {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        exportTo = List.copyOf(exportTo);
    }

    /** No gateways means {@code mesh}, as in Istio. */
    public boolean boundToMesh() {
        return gateways.isEmpty() || gateways.contains(MESH);
    }

    /**
     * Whether this VirtualService routes {@code host} of an entry in {@code entryNamespace}. Short names are
     * read in their own object's namespace, as istioctl's IST0109 analyzer does.
     */
    public boolean routes(String host, String entryNamespace) {
        String wanted = qualified(host, entryNamespace);
        for (String own : hosts) {
            if (qualified(own, namespace).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The hosts as {@link #routes} compares them: short names completed in this object's namespace. */
    public List<String> qualifiedHosts() {
        return hosts.stream().map(host -> qualified(host, namespace)).distinct().toList();
    }

    /** Where Istio applies it; unset exportTo counts as everywhere, as in istioctl's conflict analyzer. */
    public Visibility scope() {
        return Visibility.of(namespace, exportTo, List.of());
    }

    /** A host as written in an object of {@code namespace}, completed the way {@link #routes} compares hosts. */
    public static String qualified(String host, String namespace) {
        return host.contains(".") || host.equals("*") ? host : host + "." + namespace + ".svc.cluster.local";
    }
}
