package io.meshguard.rules.gateway;

import io.meshguard.index.GatewaySnapshot;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayName;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.List;

/**
 * istioctl's IST0101 ReferencedResourceNotFound for a VirtualService's {@code gateways}
 * ({@code GatewayAnalyzer} in {@code pkg/config/analysis/analyzers/virtualservice/gateways.go}): an entry other
 * than {@code mesh} that names no known Gateway. The name is resolved as istiod resolves it
 * ({@link GatewayName}). A warning only: GitOps tools apply objects in any order, and the Gateway may follow.
 */
public final class GatewayReference {

    public static final String CODE = "GatewayNotFound";

    private GatewayReference() {
    }

    /** The Gateway the {@code i}-th reference names, or null for {@code mesh}. */
    public static EntryKey target(VirtualServiceView vs, int i) {
        return GatewayName.resolve(vs.gateways().get(i), vs.namespace());
    }

    /** A warning when the {@code i}-th reference names a Gateway the index does not know; null otherwise. */
    public static Finding check(VirtualServiceView vs, int i, GatewaySnapshot index) {
        String reference = vs.gateways().get(i);
        if (VirtualServiceView.MESH.equals(reference)) {
            return null;
        }
        String field = "spec.gateways[" + i + "]";
        EntryKey key = target(vs, i);
        if (key == null) {
            String message = "spec.gateways[" + i + "] '" + reference + "' names no Gateway; this VirtualService "
                    + "routes nothing through it";
            return warning(field, message, null);
        }
        GatewayView gateway = index.gateway(key);
        if (gateway != null) {
            return null;
        }
        String message = "spec.gateways[" + i + "] '" + reference + "' is Gateway " + key + ", which does not exist"
                + " (IST0101): until it does, this VirtualService routes nothing through it";
        return warning(field, message, key);
    }

    private static Finding warning(String field, String message, EntryKey key) {
        return new Finding(CODE, Severity.WARN, field, message, GatewayReview.shorten(message), key, 0,
                List.of(new Cause(CODE, field, message)));
    }
}
