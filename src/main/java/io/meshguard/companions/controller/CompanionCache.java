package io.meshguard.companions.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;
import java.util.Optional;

/**
 * What the reconciler reads: the cluster as the informers' caches hold it, looked up by key, by owner and by
 * host, never by walking a whole cache. Every answer is about one entry, so its cost does not grow with the
 * cluster.
 */
public interface CompanionCache {

    /** The ServiceEntry stored under {@code key}, as one of {@link StoredEntry}'s three cases. */
    StoredEntry entry(EntryKey key);

    /** The companions in the caches that belong to the entry named {@code key} (by {@code CompanionOwner}'s rule). */
    List<JsonNode> owned(EntryKey key);

    /** The VirtualServices that route one of the entry's hosts, as the planner sees them. */
    List<RoutingVirtualService> routing(ServiceEntryFacts entry);

    /** The object of that kind stored at {@code namespace/name}, whoever wrote it. */
    Optional<JsonNode> cached(String kind, String namespace, String name);

    MeshConfig mesh();

    /** An entry as stored: gone, unreadable, or read. */
    sealed interface StoredEntry {
    }

    record Absent() implements StoredEntry {
    }

    record Unreadable(String reason) implements StoredEntry {
    }

    /** @param reference what an Event about the entry points at */
    record Present(ServiceEntryFacts facts, EntryReference reference) implements StoredEntry {
    }

    /** The stored entry as an Event's {@code involvedObject} names it. */
    record EntryReference(String apiVersion, String kind, String namespace, String name, String uid) {
    }
}
