package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs every ServiceEntry rule and turns the findings into a decision. On UPDATE, a collision that the
 * previous version already had is reported as a warning rather than denied: an entry that collided
 * before meshguard was installed can still be edited, as long as the edit adds no new collision.
 */
public final class ServiceEntryReview {

    static final String PRE_EXISTING = "Pre-existing collision, not introduced by this edit: ";

    private final List<ServiceEntryRule> rules;

    public ServiceEntryReview(List<ServiceEntryRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static ServiceEntryReview standard() {
        return standard(EgressSettings.DEFAULT);
    }

    public static ServiceEntryReview standard(EgressSettings egress) {
        List<ServiceEntryRule> rules = new ArrayList<>(List.of(
                new SharedOpaqueListenerRule(),
                new TlsSameHostRule(),
                new ProtocolFilterDropRule(),
                new SniffingListenerRule(),
                new RawTcpPortAsHttpRule()));
        rules.addAll(EgressRule.all(egress));
        return new ServiceEntryReview(rules);
    }

    /** @param previous the stored version on UPDATE, or null on CREATE */
    public Decision review(ServiceEntryFacts entry, ServiceEntryFacts previous, IndexSnapshot index) {
        List<Finding> findings = findings(entry, index);
        Set<String> alreadyThere = previous == null ? Set.of() : findings(previous, index).stream()
                .filter(f -> f.severity() == Severity.DENY)
                .map(Finding::identity)
                .collect(Collectors.toSet());
        List<Finding> denials = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (Finding finding : findings) {
            if (finding.severity() == Severity.WARN) {
                warnings.add(finding);
            } else if (alreadyThere.contains(finding.identity())) {
                warnings.add(finding.demotedToWarning(PRE_EXISTING));
            } else {
                denials.add(finding);
            }
        }
        return Decision.of(denials, warnings);
    }

    private List<Finding> findings(ServiceEntryFacts entry, IndexSnapshot index) {
        Map<String, Finding> unique = new LinkedHashMap<>();
        for (ServiceEntryRule rule : rules) {
            for (Finding finding : rule.check(entry, index)) {
                unique.putIfAbsent(finding.identity() + "|" + finding.field(), finding);
            }
        }
        return new ArrayList<>(unique.values());
    }
}
