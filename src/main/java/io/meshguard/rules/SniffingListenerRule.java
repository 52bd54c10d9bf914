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
import java.util.Optional;

/**
 * An OPAQUE and an HTTP service on the same wildcard port merge into one protocol-sniffing listener.
 * Nothing is dropped, but every connection that does not look like HTTP goes to the OPAQUE service,
 * which is rarely what either owner expects.
 */
public final class SniffingListenerRule implements ServiceEntryRule {

    public static final String CODE = "SniffingListener";

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        List<Finding> findings = new ArrayList<>();
        Visibility mine = entry.visibility(index.mesh());
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            ProtocolClass ours = port.protocolClass();
            ProtocolClass theirs;
            if (ours == ProtocolClass.OPAQUE && entry.bindKeys(index.mesh()).contains(BindKey.WILDCARD)) {
                theirs = ProtocolClass.HTTP;
            } else if (ours == ProtocolClass.HTTP) {
                theirs = ProtocolClass.OPAQUE;
            } else {
                continue;
            }
            firstVisible(entry, mine, port, index, theirs).ifPresent(other -> findings.add(warning(entry, port, other)));
        }
        return findings;
    }

    private static Optional<Occupant> firstVisible(ServiceEntryFacts entry, Visibility mine, ServicePort port,
            IndexSnapshot index, ProtocolClass theirs) {
        for (Occupant occupant : index.onListener(port.number(), BindKey.WILDCARD, theirs)) {
            if (!ProtocolFilterDropRule.isDrop(port, occupant.port())
                    && PairScope.between(entry, mine, occupant.entry(), index.mesh()).isPresent()) {
                return Optional.of(occupant);
            }
        }
        return Optional.empty();
    }

    private static Finding warning(ServiceEntryFacts entry, ServicePort port, Occupant other) {
        ServiceEntryFacts opaque = port.protocolClass() == ProtocolClass.OPAQUE ? entry : other.entry();
        String message = "port " + port.display() + " shares listener " + BindKey.WILDCARD.listenerName(port.number())
                + " with " + other.entry().key() + " (" + other.port().displayProtocol()
                + "): it becomes protocol-sniffing and " + opaque.key()
                + " takes all non-HTTP traffic. Set spec.addresses on the TCP entry to give it its own listener.";
        return new Finding(CODE, Severity.WARN, "spec.ports", message, message, other.entry().key(), port.number(),
                List.of(new Cause(CODE, "spec.ports", message)));
    }
}
