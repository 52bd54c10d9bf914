package io.meshguard.mesh.gateway;

import io.meshguard.mesh.EntryKey;

/**
 * How istiod reads an entry of a VirtualService's {@code gateways} ({@code resolveGatewayName} in
 * {@code pilot/pkg/model/config.go}): {@code mesh} is the sidecars; {@code ns/name} names a Gateway in
 * {@code ns}; {@code ./name} and a short {@code name} one in the VirtualService's namespace; the legacy
 * {@code name.ns.svc.cluster.local} (any name with a dot) one named {@code name} in {@code ns}.
 */
public final class GatewayName {

    private GatewayName() {
    }

    /** The Gateway a reference names, or null for {@code mesh} or a reference that names none. */
    public static EntryKey resolve(String reference, String virtualServiceNamespace) {
        if (reference == null || reference.isEmpty() || reference.equals(VirtualServiceView.MESH)) {
            return null;
        }
        int slash = reference.indexOf('/');
        if (slash >= 0) {
            String namespace = reference.substring(0, slash);
            String name = reference.substring(slash + 1);
            if (namespace.equals(".")) {
                namespace = virtualServiceNamespace;
            }
            return namespace.isEmpty() || name.isEmpty() ? null : new EntryKey(namespace, name);
        }
        int dot = reference.indexOf('.');
        if (dot < 0) {
            return new EntryKey(virtualServiceNamespace, reference);
        }
        String rest = reference.substring(dot + 1);
        int next = rest.indexOf('.');
        String namespace = next < 0 ? rest : rest.substring(0, next);
        String name = reference.substring(0, dot);
        return namespace.isEmpty() || name.isEmpty() ? null : new EntryKey(namespace, name);
    }
}
