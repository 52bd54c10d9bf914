package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.Visibility;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of two colliding entries a proxy serves: the first in the order istiod sorts services for it.
 * Entries exported to the proxy's namespace by name (or {@code .}) come before public ones, then the
 * older, then the smaller host, then the smaller namespace. Because the first criterion depends on the
 * namespace, the winner can differ between namespaces.
 */
public final class ProxyServiceOrder {

    /** The entry that keeps the listener in {@code namespaces} ({@code *} standing for all the others). */
    public record Winner(EntryKey winner, EntryKey loser, String reason, List<String> namespaces) {
    }

    private ProxyServiceOrder() {
    }

    public static List<Winner> winners(ServiceEntryFacts a, ServiceEntryFacts b, MeshConfig mesh) {
        Visibility aVisibility = a.visibility(mesh);
        Visibility bVisibility = b.visibility(mesh);
        Visibility overlap = aVisibility.overlap(bVisibility);
        Map<String, List<String>> namespacesByOutcome = new LinkedHashMap<>();
        Map<String, Winner> outcomes = new LinkedHashMap<>();
        if (overlap.everywhere()) {
            record(outcomes, namespacesByOutcome, decide(a, b, aVisibility, bVisibility, null), Visibility.ALL);
        }
        for (String namespace : overlap.specific()) {
            record(outcomes, namespacesByOutcome, decide(a, b, aVisibility, bVisibility, namespace), namespace);
        }
        List<Winner> winners = new ArrayList<>();
        outcomes.forEach((id, w) -> winners.add(new Winner(w.winner(), w.loser(), w.reason(),
                List.copyOf(namespacesByOutcome.get(id)))));
        return winners;
    }

    private static void record(Map<String, Winner> outcomes, Map<String, List<String>> namespaces, Winner w,
            String namespace) {
        String id = w.winner() + "|" + w.reason();
        outcomes.putIfAbsent(id, w);
        namespaces.computeIfAbsent(id, k -> new ArrayList<>()).add(namespace);
    }

    /** @param namespace the proxy's namespace, or null for a namespace neither entry names */
    private static Winner decide(ServiceEntryFacts a, ServiceEntryFacts b, Visibility aVisibility,
            Visibility bVisibility, String namespace) {
        if (namespace != null) {
            boolean aSpecific = aVisibility.isSpecificTo(namespace);
            boolean bSpecific = bVisibility.isSpecificTo(namespace);
            if (aSpecific != bSpecific) {
                return aSpecific
                        ? new Winner(a.key(), b.key(), "exported to that namespace by name", List.of())
                        : new Winner(b.key(), a.key(), "exported to that namespace by name", List.of());
            }
        }
        if (a.createdMillis() != b.createdMillis()) {
            return a.createdMillis() < b.createdMillis()
                    ? new Winner(a.key(), b.key(), "older", List.of())
                    : new Winner(b.key(), a.key(), "older", List.of());
        }
        int byHost = a.sortHost().compareTo(b.sortHost());
        if (byHost != 0) {
            return byHost < 0
                    ? new Winner(a.key(), b.key(), "same age, smaller host", List.of())
                    : new Winner(b.key(), a.key(), "same age, smaller host", List.of());
        }
        return a.namespace().compareTo(b.namespace()) <= 0
                ? new Winner(a.key(), b.key(), "same age and host, smaller namespace", List.of())
                : new Winner(b.key(), a.key(), "same age and host, smaller namespace", List.of());
    }
}
