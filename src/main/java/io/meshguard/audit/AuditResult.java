package io.meshguard.audit;

import io.meshguard.mesh.EntryKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One audit run: when it ran, how long it took, how many entries it saw, and what it found (in entry order).
 *
 * @param indexVersion the index's {@code version()} the run read, to tell whether a newer run is due
 */
public record AuditResult(long startedMillis, long durationNanos, int entries, long indexVersion,
        List<AuditFinding> findings) {

    public static final AuditResult NONE = new AuditResult(0, 0, 0, -1, List.of());

    public AuditResult {
        findings = List.copyOf(findings);
    }

    /** The findings grouped by the entry they are attributed to, in entry order. */
    public Map<EntryKey, List<AuditFinding>> byEntry() {
        Map<EntryKey, List<AuditFinding>> grouped = new LinkedHashMap<>();
        for (AuditFinding finding : findings) {
            grouped.computeIfAbsent(finding.entry(), k -> new java.util.ArrayList<>()).add(finding);
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
