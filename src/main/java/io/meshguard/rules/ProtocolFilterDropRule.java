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
 * A MYSQL or MONGO port installs a protocol filter on its listener; a service of any other protocol
 * on the same bind key is then skipped entirely rather than merged.
 */
public final class ProtocolFilterDropRule implements ServiceEntryRule {

    public static final String CODE = "ProtocolFilterCollision";

    static boolean isDrop(ServicePort a, ServicePort b) {
        return !a.protocol().equals(b.protocol())
                && (ProtocolClass.dropsOtherProtocols(a.protocol()) || ProtocolClass.dropsOtherProtocols(b.protocol()));
    }

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        List<Finding> findings = new ArrayList<>();
        Visibility mine = entry.visibility(index.mesh());
        List<BindKey> bindKeys = entry.bindKeys(index.mesh());
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            ProtocolClass protocolClass = port.protocolClass();
            if (protocolClass == ProtocolClass.UDP) {
                continue;
            }
            List<BindKey> keys = protocolClass == ProtocolClass.HTTP
                    ? List.of(BindKey.WILDCARD) : bindKeys;
            boolean filtersOthers = ProtocolClass.dropsOtherProtocols(port.protocol());
            for (BindKey key : keys) {
                List<ProtocolClass> neighbours = filtersOthers
                        ? List.of(ProtocolClass.OPAQUE, ProtocolClass.TLS, ProtocolClass.HTTP)
                        : List.of(ProtocolClass.OPAQUE);
                for (ProtocolClass neighbour : neighbours) {
                    for (Occupant occupant : index.onListener(port.number(), key, neighbour)) {
                        if (!isDrop(port, occupant.port())) {
                            continue;
                        }
                        int portIndex = i;
                        PairScope.between(entry, mine, occupant.entry(), index.mesh()).ifPresent(scope ->
                                CollisionFinding.addTo(findings, CODE, entry, port, portIndex, occupant.entry(), occupant.port(),
                                        "listener " + key.listenerName(port.number()), "listener",
                                        "is skipped by Envoy's " + filterName(port, occupant.port())
                                                + " filter and gets no traffic there",
                                        "set spec.addresses, or set exportTo so no namespace sees both, "
                                                + "or declare both ports with the same protocol",
                                        index.mesh()));
                    }
                }
            }
        }
        return findings;
    }

    private static String filterName(ServicePort a, ServicePort b) {
        return ProtocolClass.dropsOtherProtocols(a.protocol()) ? a.protocol() : b.protocol();
    }
}
