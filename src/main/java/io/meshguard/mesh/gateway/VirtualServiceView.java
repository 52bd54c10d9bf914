package io.meshguard.mesh.gateway;

import io.meshguard.mesh.EntryKey;
import java.util.List;

/**
 * A VirtualService, as far as its binding to Gateways is concerned.
 *
 * @param hosts {@code spec.hosts} as written
 * @param gateways {@code spec.gateways} as written; empty means {@code mesh}
 * @param exportTo {@code spec.exportTo} as written; empty means every namespace
 * @param managedByMeshguard labelled {@code app.kubernetes.io/managed-by: meshguard} (a companion)
 * @param uid {@code metadata.uid}, for a report's reference to it; empty when not persisted
 */
public record VirtualServiceView(EntryKey key, long createdMillis, List<String> hosts, List<String> gateways,
        List<String> exportTo, boolean managedByMeshguard, String uid) {

    public static final String MESH = "mesh";

    public VirtualServiceView {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        exportTo = List.copyOf(exportTo);
        uid = uid == null ? "" : uid;
    }

    /** A VirtualService whose uid is not known. */
    public VirtualServiceView(EntryKey key, long createdMillis, List<String> hosts, List<String> gateways,
            List<String> exportTo, boolean managedByMeshguard) {
        this(key, createdMillis, hosts, gateways, exportTo, managedByMeshguard, "");
    }

    public String namespace() {
        return key.namespace();
    }

    /** No gateways means {@code mesh}, as in Istio. */
    public boolean boundToMesh() {
        return gateways.isEmpty() || gateways.contains(MESH);
    }
}
