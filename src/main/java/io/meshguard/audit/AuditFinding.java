package io.meshguard.audit;

import io.meshguard.mesh.EntryKey;
import java.util.List;

/**
 * One problem the audit found with a stored ServiceEntry, attributed to the entry that suffers it: for a collision,
 * the entry that loses the listener (or host) in at least one namespace; the entry that keeps it everywhere is named
 * as {@code keptBy}, not given a finding of its own.
 *
 * @param severity {@code deny} (the webhook would refuse this entry today) or {@code warn}
 * @param entryUid the entry's {@code metadata.uid}, for the report's and the Event's reference to it; may be empty
 * @param other the other entry involved, or null
 * @param listener what the two fight over (e.g. "0.0.0.0_443"), or null
 * @param namespaces the namespaces whose proxies are affected ({@code *}: every namespace not named)
 * @param keptBy who keeps the listener, in which namespaces and why
 * @param losesTraffic true when this entry is dropped in at least one namespace
 * @param fix the remedies that work for this case, or null
 */
public record AuditFinding(String code, String severity, EntryKey entry, String entryUid, EntryKey other, int port,
        String listener, List<String> namespaces, List<Keeper> keptBy, boolean losesTraffic, String summary,
        String message, String fix) {

    public AuditFinding {
        namespaces = List.copyOf(namespaces);
        keptBy = List.copyOf(keptBy);
    }

    /** The entry that keeps the listener in {@code namespaces}, and the reason istiod ranks it first there. */
    public record Keeper(String entry, List<String> namespaces, String reason) {
    }

    public boolean failure() {
        return "deny".equals(severity);
    }
}
