package io.meshguard.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audit run: when it ran, how long it took, how many objects it saw, and what it found (ServiceEntries in entry
 * order, then Gateways, then VirtualServices).
 *
 * @param entries the ServiceEntries audited
 * @param indexVersion the indexes' version the run read, to tell whether a newer run is due
 * @param gateways the Gateways audited
 * @param virtualServices the VirtualServices audited
 */
public record AuditResult(long startedMillis, long durationNanos, int entries, long indexVersion,
        List<AuditFinding> findings, int gateways, int virtualServices) {

    public static final AuditResult NONE = new AuditResult(0, 0, 0, -1, List.of());

    public AuditResult {
        findings = List.copyOf(findings);
    }

    /** An audit of ServiceEntries only. */
    public AuditResult(long startedMillis, long durationNanos, int entries, long indexVersion,
            List<AuditFinding> findings) {
        this(startedMillis, durationNanos, entries, indexVersion, findings, 0, 0);
    }

    /** This run with the Gateways' and VirtualServices' findings added, and the time they took. */
    public AuditResult withGateways(List<AuditFinding> more, int gatewayCount, int virtualServiceCount,
            long moreNanos) {
        List<AuditFinding> all = new java.util.ArrayList<>(findings);
        all.addAll(more);
        return new AuditResult(startedMillis, durationNanos + moreNanos, entries, indexVersion, all, gatewayCount,
                virtualServiceCount);
    }

    /** The findings grouped by the object they are attributed to, in order. */
    public Map<AuditFinding.Subject, List<AuditFinding>> byEntry() {
        Map<AuditFinding.Subject, List<AuditFinding>> grouped = new LinkedHashMap<>();
        for (AuditFinding finding : findings) {
            grouped.computeIfAbsent(finding.subject(), k -> new java.util.ArrayList<>()).add(finding);
        }
        grouped.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return grouped;
    }

    /** How many findings of each code, codes in name order. */
    public Map<String, Integer> countsByCode() {
        Map<String, Integer> counts = new TreeMap<>();
        findings.forEach(f -> counts.merge(f.code(), 1, Integer::sum));
        return counts;
    }
}
