package io.meshguard.audit;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.ListenerMix;
import io.meshguard.index.Occupant;
import io.meshguard.index.SeenEverywhere;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ListenerAudit;
import io.meshguard.rules.ServiceEntryReview;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Runs every stored entry through the webhook's rules ({@link ServiceEntryReview}, as on a CREATE) against all the
 * others, and keeps what it finds. The listener model, the costly part, is not run entry by entry: one
 * {@link ListenerAudit} builds each listener once for every entry on it, from the stored entries alone, so the live
 * index stays free for the webhook while the audit runs. An entry never collides with itself as another entry
 * (AuditorTest checks it for every fixture).
 *
 * <p>A collision is kept as a finding of the entry that loses (in at least one namespace), naming the entry that
 * keeps the listener. Warnings are kept from every side that reports them.
 */
public final class Auditor {

    private final ServiceEntryReview review;

    public Auditor(ServiceEntryReview review) {
        this.review = review;
    }

    /**
     * @param stored the stored entries and who sees each, as the live index files them
     *     ({@link ServiceEntryIndex#stored()})
     * @param indexVersion the live index's version they were read at, recorded in the result
     */
    public AuditResult audit(ServiceEntryIndex.Stored stored, long indexVersion, long nowMillis) {
        long started = System.nanoTime();
        List<ServiceEntryFacts> ordered = new ArrayList<>(stored.entries());
        ordered.sort(Comparator.comparing(ServiceEntryFacts::key));
        ServiceEntryReview whole = review.withListenerFindings(new ListenerAudit().findings(ordered,
                entry -> stored.visibility().get(entry), stored.mesh()));
        IndexSnapshot meshOnly = new MeshOnly(stored.mesh());
        List<AuditFinding> findings = new ArrayList<>();
        for (ServiceEntryFacts entry : ordered) {
            Decision decision = whole.review(entry, null, meshOnly);
            for (Finding denial : decision.denials()) {
                keep(findings, entry, denial, "deny");
            }
            for (Finding warning : decision.warnings()) {
                keep(findings, entry, warning, "warn");
            }
        }
        return new AuditResult(nowMillis, System.nanoTime() - started, ordered.size(), indexVersion, findings);
    }

    /**
     * What the other rules see of the cluster in an audit: the mesh config only. The listener findings, the only
     * ones that read the cluster's entries, come from {@link ListenerAudit}; a rule that reads them here fails the
     * audit loudly rather than finding an empty cluster.
     */
    private record MeshOnly(MeshConfig mesh) implements IndexSnapshot {

        @Override
        public SeenEverywhere seenEverywhere(ListenerKey key) {
            throw unavailable();
        }

        @Override
        public Collection<Occupant> exportedByName(ListenerKey key, Set<String> namespaces) {
            throw unavailable();
        }

        @Override
        public Collection<Occupant> onListener(ListenerKey key, ChainConflict.Match match) {
            throw unavailable();
        }

        @Override
        public ListenerMix mix(ListenerKey key) {
            throw unavailable();
        }

        @Override
        public Collection<ServiceEntryFacts> declaring(String host) {
            throw unavailable();
        }

        private static IllegalStateException unavailable() {
            return new IllegalStateException("an audited rule read the cluster's entries; only the listener audit may");
        }
    }

    private static void keep(List<AuditFinding> found, ServiceEntryFacts entry, Finding finding, String severity) {
        Finding worded = finding.word();
        List<AuditFinding.Keeper> keepers = new ArrayList<>();
        String listener = null;
        String fix = null;
        List<String> namespaces = List.of();
        for (Cause cause : worded.causes()) {
            switch (cause.reason()) {
                case "Winner" -> keepers.add(keeper(cause.message()));
                case "Listener" -> listener = cause.message();
                case "Fix" -> fix = cause.message();
                case "Namespaces" -> namespaces = List.of(cause.message().split(","));
                default -> { }
            }
        }
        String self = entry.key().toString();
        boolean loses = keepers.stream().anyMatch(k -> !k.entry().equals(self));
        if (!keepers.isEmpty() && !loses && "deny".equals(severity)) {
            return; // it keeps the listener everywhere: the loser's review reports the collision
        }
        found.add(new AuditFinding(AuditFinding.SERVICE_ENTRY, worded.code(), severity, entry.key(),
                entry.uid() == null ? "" : entry.uid(), worded.other(), worded.port(), listener, null, namespaces,
                keepers, loses, worded.summary(), worded.message(), fix));
    }

    /** "ns2/hwcloud in * (older)", as {@code status.details.causes} says who keeps a listener. */
    static AuditFinding.Keeper keeper(String text) {
        int in = text.indexOf(" in ");
        int reason = text.lastIndexOf(" (");
        if (in < 0 || reason < in || !text.endsWith(")")) {
            return new AuditFinding.Keeper(text, List.of(), "");
        }
        return new AuditFinding.Keeper(text.substring(0, in), List.of(text.substring(in + 4, reason).split(",")),
                text.substring(reason + 2, text.length() - 1));
    }
}
