package io.meshguard.companions.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.Companions;
import io.meshguard.companions.Plan;
import io.meshguard.mesh.EntryKey;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Brings the companions of one entry in line with its plan: writes a missing or edited one, deletes one no
 * longer planned, and, when the SNI VirtualService gives way to VirtualServices that already route the entry's
 * hosts, says so in an Event on the entry. Reads only what concerns the entry, by key, owner and host.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final CompanionCache cache;
    private final CompanionPlanner planner;
    private final CompanionWriter writer;
    private final CompanionEvents events;

    public Reconciler(CompanionCache cache, CompanionPlanner planner, CompanionWriter writer,
            CompanionEvents events) {
        this.cache = cache;
        this.planner = planner;
        this.writer = writer;
        this.events = events;
    }

    /** Throws on an API error, so the work queue retries. */
    public void reconcile(EntryKey key) {
        CompanionCache.StoredEntry stored = cache.entry(key);
        Map<String, JsonNode> owned = new LinkedHashMap<>();
        cache.owned(key).forEach(companion -> owned.put(Companions.reference(companion), companion));
        if (stored instanceof CompanionCache.Absent) {
            // The garbage collector deletes them in a real cluster too; doing it here covers a collector that lags.
            owned.values().forEach(writer::delete);
            return;
        }
        if (stored instanceof CompanionCache.Unreadable unreadable) {
            LOG.warnf("ServiceEntry %s is unreadable; its companions are left as they are: %s", key,
                    unreadable.reason());
            return;
        }
        CompanionCache.Present entry = (CompanionCache.Present) stored;
        Plan plan = planner.plan(entry.facts(), cache.routing(entry.facts()), cache.mesh());
        Set<String> planned = new HashSet<>();
        for (ObjectNode desired : plan.objects()) {
            String reference = Companions.reference(desired);
            planned.add(reference);
            JsonNode actual = owned.get(reference);
            String kind = desired.path("kind").asText();
            String name = desired.path("metadata").path("name").asText();
            var atName = actual == null ? cache.cached(kind, key.namespace(), name) : Optional.<JsonNode>empty();
            switch (Ownership.decide(desired, actual, atName)) {
                case WRITE -> writer.apply(desired);
                case SQUATTED -> LOG.warnf("%s %s/%s exists and is not meshguard's; not writing it for ServiceEntry %s",
                        kind, key.namespace(), name, key);
                case UP_TO_DATE -> {
                }
            }
        }
        String sni = "VirtualService/" + key.name() + Companions.SNI_SUFFIX;
        for (Map.Entry<String, JsonNode> companion : owned.entrySet()) {
            if (!planned.contains(companion.getKey())) {
                writer.delete(companion.getValue());
                if (companion.getKey().equals(sni) && !plan.yields().isEmpty()) {
                    String message = YieldedEvent.message(companion.getKey(), plan);
                    events.record(entry.reference(), YieldedEvent.REASON, message);
                    LOG.infof("ServiceEntry %s: %s", key, message);
                }
            }
        }
    }
}
