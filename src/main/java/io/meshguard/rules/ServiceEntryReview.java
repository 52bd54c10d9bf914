package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs every ServiceEntry rule and turns the findings into a decision. On UPDATE, a collision that the
 * previous version already had is reported as a warning rather than denied: an entry that collided
 * before meshguard was installed can still be edited, as long as the edit adds no new collision.
 */
public final class ServiceEntryReview {

    static final String PRE_EXISTING = "Pre-existing collision, not introduced by this edit: ";
    /** How a finding's scope names every namespace it does not name. */
    public static final String EVERY_OTHER_NAMESPACE = "*";

    /** A decision lists at most this many denials, and as many warnings; the rest are summed up in one more. */
    public static final int LISTED = 10;
    /** The code of the finding that sums up those not listed. */
    public static final String MORE = "MoreFindings";
    private static final int NAMED = 5;

    private final List<ServiceEntryRule> rules;

    public ServiceEntryReview(List<ServiceEntryRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static ServiceEntryReview standard() {
        return standard(EgressSettings.DEFAULT);
    }

    public static ServiceEntryReview standard(EgressSettings egress) {
        List<ServiceEntryRule> rules = new ArrayList<>(List.of(
                new ObjectLimits(),
                new OutboundListenerRule(),
                new RawTcpPortAsHttpRule()));
        rules.addAll(EgressRule.all(egress));
        return new ServiceEntryReview(rules);
    }

    /**
     * This review with the listener model's findings taken from {@code listenerFindings} (an audit computes them
     * for every entry at once, {@link ListenerAudit}) instead of built entry by entry.
     */
    public ServiceEntryReview withListenerFindings(Function<ServiceEntryFacts, List<Finding>> listenerFindings) {
        List<ServiceEntryRule> replaced = new ArrayList<>(rules.size());
        for (ServiceEntryRule rule : rules) {
            replaced.add(rule instanceof OutboundListenerRule
                    ? (entry, index) -> listenerFindings.apply(entry) : rule);
        }
        return new ServiceEntryReview(replaced);
    }

    /** @param previous the stored version on UPDATE, or null on CREATE */
    public Decision review(ServiceEntryFacts entry, ServiceEntryFacts previous, IndexSnapshot index) {
        // A CREATE's findings past those it words are only counted; an UPDATE's are each compared with the stored
        // version's, for which their namespaces are needed.
        List<Finding> findings = findings(entry, index, previous == null ? LISTED : Integer.MAX_VALUE);
        Map<Finding.Identity, Finding> alreadyThere = new java.util.HashMap<>();
        if (previous != null) {
            for (Finding old : findings(previous, index, Integer.MAX_VALUE)) {
                if (old.severity() == Severity.DENY) {
                    alreadyThere.putIfAbsent(old.identity(), old);
                }
            }
        }
        List<Finding> denials = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (Finding finding : findings) {
            if (finding.severity() == Severity.WARN) {
                warnings.add(finding);
            } else if (preExisting(alreadyThere.get(finding.identity()), finding)) {
                warnings.add(finding.demotedToWarning(PRE_EXISTING));
            } else {
                denials.add(finding);
            }
        }
        return Decision.of(listed(denials, Severity.DENY), listed(warnings, Severity.WARN));
    }

    /** The old version had the same finding, for proxies of at least the same namespaces: nothing spreads. */
    private static boolean preExisting(Finding old, Finding finding) {
        return old != null && old.covers(finding.scope());
    }

    /**
     * The first {@link #LISTED} findings in words, and, when there are more, one that counts the others and names
     * a few of them: an answer stays small, and its cost does not grow with the number of entries collided with.
     */
    private static List<Finding> listed(List<Finding> findings, Severity severity) {
        List<Finding> listed = new ArrayList<>(Math.min(findings.size(), LISTED + 1));
        Set<String> named = new java.util.LinkedHashSet<>();
        int hidden = 0;
        for (Finding finding : findings) {
            if (listed.size() < LISTED) {
                listed.add(finding.word());
            } else {
                hidden++;
                if (named.size() < NAMED && finding.other() != null) {
                    named.add(Words.value(finding.other().toString()));
                }
            }
        }
        if (hidden == 0) {
            return listed;
        }
        String message = hidden + " more " + (severity == Severity.DENY ? "collisions" : "warnings")
                + " not listed" + (named.isEmpty() ? "" : ", with " + String.join(", ", named)
                        + (hidden > named.size() ? ", ..." : "")) + ".";
        String summary = Words.warning(message);
        listed.add(new Finding(MORE, severity, "spec.ports", message, summary, null, 0,
                List.of(new Cause(MORE, "spec.ports", message))));
        return listed;
    }

    private record FieldIdentity(Finding.Identity identity, String field) {

        /** Written out: a record's generated equality runs through method handles that C1 does not inline. */
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof FieldIdentity other && identity.equals(other.identity)
                    && java.util.Objects.equals(field, other.field);
        }

        @Override
        public int hashCode() {
            return 31 * identity.hashCode() + java.util.Objects.hashCode(field);
        }
    }

    private List<Finding> findings(ServiceEntryFacts entry, IndexSnapshot index, int described) {
        Map<FieldIdentity, Finding> unique = new LinkedHashMap<>();
        for (ServiceEntryRule rule : rules) {
            for (Finding finding : rule.check(entry, index, described)) {
                unique.putIfAbsent(new FieldIdentity(finding.identity(), finding.field()), finding);
            }
        }
        return new ArrayList<>(unique.values());
    }
}
