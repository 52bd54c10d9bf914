package io.meshguard.rules.gateway;

import io.meshguard.index.GatewaySnapshot;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reviews a VirtualService (CREATE or UPDATE) for routes that go nowhere. Never denies (GitOps tools apply
 * objects in any order): warns when a {@code gateways} entry names a missing Gateway ({@link GatewayReference},
 * IST0101), when the named Gateway serves none of its hosts ({@link VirtualServiceHostBinding}, IST0132; not
 * repeated when the Gateway is missing), and when another VirtualService routes one of its hosts on
 * {@code mesh} ({@link ConflictingMeshGatewayHosts}, IST0109). meshguard's own companion VirtualServices are
 * not reviewed, and are never the other side of IST0109: the companion controller gives way instead.
 */
public final class VirtualServiceReview {

    public Decision review(VirtualServiceView vs, GatewaySnapshot index) {
        if (vs.managedByMeshguard()) {
            return Decision.ALLOW;
        }
        List<Finding> warnings = new ArrayList<>();
        Set<EntryKey> seen = new HashSet<>();
        for (int i = 0; i < vs.gateways().size(); i++) {
            EntryKey key = GatewayReference.target(vs, i);
            if (key != null && !seen.add(key)) {
                continue;
            }
            Finding missing = GatewayReference.check(vs, i, index);
            if (missing != null) {
                warnings.add(missing);
                continue;
            }
            GatewayView gateway = key == null ? null : index.gateway(key);
            if (gateway != null) {
                Finding unbound = VirtualServiceHostBinding.check(vs, i, gateway);
                if (unbound != null) {
                    warnings.add(unbound);
                }
            }
        }
        Finding conflict = ConflictingMeshGatewayHosts.check(vs, index);
        if (conflict != null) {
            warnings.add(conflict);
        }
        return Decision.of(List.of(), warnings);
    }
}
