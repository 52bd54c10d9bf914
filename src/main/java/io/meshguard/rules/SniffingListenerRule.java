package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.Occupant;
import io.meshguard.mesh.BindKey;
import io.meshguard.mesh.ProtocolClass;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.Visibility;
import java.util.ArrayList;
import java.util.Comparator;
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
        boolean onWildcard = entry.bindKeys(index.mesh()).contains(BindKey.WILDCARD);
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            ProtocolClass ours = port.protocolClass();
            ProtocolClass theirs;
            if (ours == ProtocolClass.OPAQUE && onWildcard) {
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

    /**
     * The entry the warning names: of those visible with this one, the first in istiod's order (older, then
     * smaller host, namespace, name, port). Not the first the index happens to hold: the index's order depends on
     * the order it learnt its entries in, and the same review must read the same whatever that order
     * (RulePropertiesTest: the same entries learnt in another order made the warning name another entry).
     */
    private static Optional<Occupant> firstVisible(ServiceEntryFacts entry, Visibility mine, ServicePort port,
            IndexSnapshot index, ProtocolClass theirs) {
        Occupant first = null;
        for (Occupant occupant : index.onListener(port.number(), BindKey.WILDCARD, theirs)) {
            if ((first == null || ORDER.compare(occupant, first) < 0)
                    && !ProtocolFilterDropRule.isDrop(port, occupant.port())
                    && PairScope.between(entry, mine, occupant.entry(), index.mesh()).isPresent()) {
                first = occupant;
            }
        }
        return Optional.ofNullable(first);
    }

    private static final Comparator<Occupant> ORDER = Comparator
            .comparingLong((Occupant o) -> o.entry().createdMillis())
            .thenComparing(o -> o.entry().sortHost())
            .thenComparing(o -> o.entry().key())
            .thenComparing(o -> o.port().protocol());

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
