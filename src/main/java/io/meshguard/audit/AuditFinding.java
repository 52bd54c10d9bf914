package io.meshguard.audit;

import io.meshguard.mesh.EntryKey;
import java.util.List;

/**
 * One problem the audit found with a stored object (a ServiceEntry, a Gateway or a VirtualService), attributed to the
 * object that suffers it: for a collision, the entry that loses the listener (or host) in at least one namespace, or
 * the Gateway whose server istiod drops or whose host another Gateway keeps; the one that keeps it is named as
 * {@code keptBy}, not given a finding of its own.
 *
 * @param kind {@code ServiceEntry}, {@code Gateway} or {@code VirtualService}
 * @param entry the object's namespace/name
 * @param severity {@code deny} (the webhook would refuse this entry today) or {@code warn}
 * @param entryUid the entry's {@code metadata.uid}, for the report's and the Event's reference to it; may be empty
 * @param other the other entry involved, or null
 * @param listener what the two fight over (e.g. "0.0.0.0_443"), or null
 * @param workload for a Gateway, the gateway workload's labels ({@code istio=ingressgateway}); otherwise null
 * @param namespaces the namespaces whose proxies are affected ({@code *}: every namespace not named)
 * @param keptBy who keeps the listener, in which namespaces and why
 * @param losesTraffic true when this entry is dropped in at least one namespace
 * @param fix the remedies that work for this case, or null
 */
public record AuditFinding(String kind, String code, String severity, EntryKey entry, String entryUid, EntryKey other,
        int port, String listener, String workload, List<String> namespaces, List<Keeper> keptBy, boolean losesTraffic,
        String summary, String message, String fix) {

    public static final String SERVICE_ENTRY = "ServiceEntry";
    public static final String GATEWAY = "Gateway";
    public static final String VIRTUAL_SERVICE = "VirtualService";

    public AuditFinding {
        namespaces = List.copyOf(namespaces);
        keptBy = List.copyOf(keptBy);
    }

    /** The object a finding is about: a kind and its namespace/name (a ServiceEntry and a Gateway may share one). */
    public record Subject(String kind, EntryKey key) {
        @Override
        public String toString() {
            return kind + " " + key;
        }
    }

    public Subject subject() {
        return new Subject(kind, entry);
    }

    /** The entry that keeps the listener in {@code namespaces}, and the reason istiod ranks it first there. */
    public record Keeper(String entry, List<String> namespaces, String reason) {
    }

    public boolean failure() {
        return "deny".equals(severity);
    }
}
