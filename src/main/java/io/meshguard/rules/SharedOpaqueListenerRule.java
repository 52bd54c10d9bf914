package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.Occupant;
import io.meshguard.mesh.BindKey;
import io.meshguard.mesh.ProtocolClass;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.Visibility;
import java.util.ArrayList;
import java.util.List;

/**
 * Two OPAQUE (raw TCP) ports with the same bind key end up as one catch-all filter chain on one
 * listener: the first service in the proxy's order takes all the traffic and the other gets none
 * (seed 001: github and hwcloud on 0.0.0.0_443).
 */
public final class SharedOpaqueListenerRule implements ServiceEntryRule {

    public static final String CODE = "ListenerCollision";

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        List<Finding> findings = new ArrayList<>();
        Visibility mine = entry.visibility(index.mesh());
        List<BindKey> bindKeys = entry.bindKeys(index.mesh());
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            if (port.protocolClass() != ProtocolClass.OPAQUE) {
                continue;
            }
            for (BindKey key : bindKeys) {
                for (Occupant occupant : index.onListener(port.number(), key, ProtocolClass.OPAQUE)) {
                    if (ProtocolFilterDropRule.isDrop(port, occupant.port())) {
                        continue;
                    }
                    int portIndex = i;
                    PairScope.between(entry, mine, occupant.entry(), index.mesh()).ifPresent(scope ->
                            CollisionFinding.addTo(findings, CODE, entry, port, portIndex, occupant.entry(), occupant.port(),
                                    "listener " + key.listenerName(port.number()), "listener",
                                    "gets no traffic there",
                                    "set spec.addresses, or set exportTo so no namespace sees both, "
                                            + "or use protocol TLS so SNI can tell them apart",
                                    index.mesh()));
                }
            }
        }
        return findings;
    }
}
