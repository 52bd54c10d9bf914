package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.Occupant;
import io.meshguard.mesh.ProtocolClass;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.Visibility;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * TLS filter chains are told apart by SNI, so two TLS/HTTPS ports collide only when they claim the
 * same host on the same port from different objects: the proxy builds one chain for that SNI name.
 * Different hosts, wildcard or not, never collide.
 */
public final class TlsSameHostRule implements ServiceEntryRule {

    public static final String CODE = "TlsHostCollision";

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        List<Finding> findings = new ArrayList<>();
        Visibility mine = entry.visibility(index.mesh());
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            if (port.protocolClass() != ProtocolClass.TLS) {
                continue;
            }
            Set<String> reported = new HashSet<>();
            for (String host : entry.hosts()) {
                for (Occupant occupant : index.tlsWithHost(port.number(), host)) {
                    if (!reported.add(occupant.entry().key().toString())) {
                        continue;
                    }
                    int portIndex = i;
                    PairScope.between(entry, mine, occupant.entry(), index.mesh()).ifPresent(scope ->
                            CollisionFinding.addTo(findings, CODE, entry, port, portIndex, occupant.entry(), occupant.port(),
                                    "SNI host " + host + " on port " + port.number(), "host",
                                    "gets no traffic for that host there",
                                    "declare the host in one ServiceEntry only, or set exportTo so no "
                                            + "namespace sees both",
                                    index.mesh()));
                }
            }
        }
        return findings;
    }
}
