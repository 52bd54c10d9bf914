package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a rule found about the entry under review.
 *
 * @param message the whole story, for a denial's status message
 * @param summary at most 256 characters, for {@code response.warnings}: the API server may truncate longer ones
 * @param code stable identifier, used in metrics and in {@code status.details.causes}
 * @param field the JSON path in the entry that the finding is about
 * @param other the other ServiceEntry involved, or null
 * @param port the port involved, or 0
 * @param wording null for a finding in words; for one known only by identity so far, what puts it in words
 *     (message, summary and causes are then empty). One entry can collide with thousands of others, and wording
 *     them all would cost more than the review: a decision words only those it lists ({@link ServiceEntryReview}).
 * @param scope the namespaces whose proxies are affected ({@code *} for every namespace not named); empty when the
 *     finding is not about proxies of particular namespaces
 */
public record Finding(
        String code, Severity severity, String field, String message, String summary, EntryKey other, int port,
        List<Cause> causes, Supplier<Finding> wording, Set<String> scope) {

    public Finding {
        causes = List.copyOf(causes);
        scope = scope == null ? Set.of() : scope;
    }

    public Finding(String code, Severity severity, String field, String message, String summary, EntryKey other,
            int port, List<Cause> causes, Supplier<Finding> wording) {
        this(code, severity, field, message, summary, other, port, causes, wording, Set.of());
    }

    public Finding(String code, Severity severity, String field, String message, String summary, EntryKey other,
            int port, List<Cause> causes) {
        this(code, severity, field, message, summary, other, port, causes, null, Set.of());
    }

    /** A finding known by its identity; {@code wording} supplies the same finding in words when it is listed. */
    public static Finding unworded(String code, Severity severity, String field, EntryKey other, int port,
            Supplier<Finding> wording) {
        return new Finding(code, severity, field, "", "", other, port, List.of(), wording, Set.of());
    }

    /** As {@link #unworded(String, Severity, String, EntryKey, int, Supplier)}, for the proxies of {@code scope}. */
    public static Finding unworded(String code, Severity severity, String field, EntryKey other, int port,
            Set<String> scope, Supplier<Finding> wording) {
        return new Finding(code, severity, field, "", "", other, port, List.of(), wording, scope);
    }

    public boolean worded() {
        return wording == null;
    }

    /** This finding in words. */
    public Finding word() {
        return wording == null ? this : wording.get();
    }

    public static Finding warning(String code, String field, String message) {
        return new Finding(code, Severity.WARN, field, message, Words.warning(message), null, 0, List.of());
    }

    /**
     * Findings with the same identity describe the same problem, whatever version of the entry they came from.
     * A value, cheap to hash: a review may compare thousands.
     */
    public record Identity(String code, EntryKey other, int port) {

        /** Written out: a record's generated equality runs through method handles that C1 does not inline. */
        @Override
        public boolean equals(Object o) {
            return this == o || o instanceof Identity identity && port == identity.port
                    && java.util.Objects.equals(code, identity.code) && java.util.Objects.equals(other, identity.other);
        }

        @Override
        public int hashCode() {
            return (31 * java.util.Objects.hashCode(code) + java.util.Objects.hashCode(other)) * 31 + port;
        }
    }

    public Identity identity() {
        return new Identity(code, other, port);
    }

    /** True when every namespace of {@code later} is affected here too: the later finding spreads nothing. */
    public boolean covers(Set<String> later) {
        if (scope.isEmpty() || scope.containsAll(later)) {
            return true;
        }
        if (later.contains(ServiceEntryReview.EVERY_OTHER_NAMESPACE)
                && !scope.contains(ServiceEntryReview.EVERY_OTHER_NAMESPACE)) {
            return false;
        }
        return scope.contains(ServiceEntryReview.EVERY_OTHER_NAMESPACE);
    }

    public Finding demotedToWarning(String prefix) {
        if (wording != null) {
            Supplier<Finding> words = wording;
            return unworded(code, Severity.WARN, field, other, port, scope, () -> words.get().demotedToWarning(prefix));
        }
        return new Finding(code, Severity.WARN, field, prefix + message, Words.warning(prefix + summary), other,
                port, causes, null, scope);
    }
}
