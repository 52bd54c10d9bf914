package io.meshguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshguard.companions.controller.CompanionCache;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.decode.VirtualServiceReader;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The companion controller's view of the informers' stores: every lookup goes by key or through an index
 * ({@link CompanionIndexes}), and only the objects found are turned into JSON. It also says which entries a
 * change affects, by the same indexes. The stores are fabric8's informer caches; a benchmark may fill such
 * caches directly.
 */
public final class CompanionStores implements CompanionCache {

    private final Indexer<GenericKubernetesResource> entries;
    private final Indexer<GenericKubernetesResource> virtualServices;
    private final Map<String, Indexer<GenericKubernetesResource>> companions = new LinkedHashMap<>();
    private final Supplier<MeshConfig> mesh;
    private final KubernetesSerialization serialization;

    public CompanionStores(Indexer<GenericKubernetesResource> entries,
            Indexer<GenericKubernetesResource> virtualServices, Indexer<GenericKubernetesResource> gateways,
            Indexer<GenericKubernetesResource> destinationRules, Supplier<MeshConfig> mesh,
            KubernetesSerialization serialization) {
        this.entries = entries;
        this.virtualServices = virtualServices;
        this.companions.put("VirtualService", virtualServices);
        this.companions.put("Gateway", gateways);
        this.companions.put("DestinationRule", destinationRules);
        this.mesh = mesh;
        this.serialization = serialization;
        CompanionIndexes.ensure(entries, CompanionIndexes.BY_HOST, CompanionIndexes::byHost);
        CompanionIndexes.ensure(virtualServices, CompanionIndexes.BY_HOST, CompanionIndexes::byHost);
        companions.values().forEach(store ->
                CompanionIndexes.ensure(store, CompanionIndexes.BY_OWNER, CompanionIndexes::byOwner));
    }

    @Override
    public StoredEntry entry(EntryKey key) {
        GenericKubernetesResource stored = entries.getByKey(key.namespace() + "/" + key.name());
        if (stored == null) {
            return new Absent();
        }
        ServiceEntryFacts facts;
        try {
            facts = ServiceEntryReader.read(json(stored), null, 0);
        } catch (MalformedObjectException e) {
            return new Unreadable(e.getMessage());
        }
        return new Present(facts, new EntryReference(stored.getApiVersion(), stored.getKind(),
                stored.getMetadata().getNamespace(), stored.getMetadata().getName(), stored.getMetadata().getUid()));
    }

    @Override
    public List<JsonNode> owned(EntryKey key) {
        List<JsonNode> owned = new ArrayList<>();
        String owner = CompanionIndexes.ownerKey(key);
        for (Indexer<GenericKubernetesResource> store : companions.values()) {
            store.byIndex(CompanionIndexes.BY_OWNER, owner).forEach(object -> owned.add(json(object)));
        }
        return owned;
    }

    /** Read from the informer's store, not the VirtualService index: a store changes before any handler hears of it. */
    @Override
    public List<RoutingVirtualService> routing(ServiceEntryFacts entry) {
        Map<String, RoutingVirtualService> found = new LinkedHashMap<>();
        for (String host : entry.hosts()) {
            for (GenericKubernetesResource vs : virtualServices.byIndex(CompanionIndexes.BY_HOST,
                    CompanionIndexes.hostKey(host, entry.namespace()))) {
                found.computeIfAbsent(vs.getMetadata().getNamespace() + "/" + vs.getMetadata().getName(),
                        key -> VirtualServiceReader.read(json(vs)));
            }
        }
        return List.copyOf(found.values());
    }

    @Override
    public Optional<JsonNode> cached(String kind, String namespace, String name) {
        Indexer<GenericKubernetesResource> store = companions.get(kind);
        GenericKubernetesResource object = store == null ? null : store.getByKey(namespace + "/" + name);
        return Optional.ofNullable(object).map(this::json);
    }

    @Override
    public MeshConfig mesh() {
        return mesh.get();
    }

    // --- which entries a change affects ---------------------------------------------------------------

    /** An entry that changed affects itself. */
    public void entryChanged(GenericKubernetesResource entry, Consumer<EntryKey> affected) {
        affected.accept(new EntryKey(entry.getMetadata().getNamespace(), entry.getMetadata().getName()));
    }

    /** A companion that changed affects its owner, which reverts an edit or deletes an orphan. */
    public void companionChanged(GenericKubernetesResource companion, Consumer<EntryKey> affected) {
        CompanionIndexes.owner(companion).ifPresent(affected);
    }

    /** A VirtualService affects its owner and every entry that declares one of its hosts. */
    public void virtualServiceChanged(GenericKubernetesResource virtualService, Consumer<EntryKey> affected) {
        companionChanged(virtualService, affected);
        for (String host : CompanionIndexes.byHost(virtualService)) {
            for (GenericKubernetesResource entry : entries.byIndex(CompanionIndexes.BY_HOST, host)) {
                entryChanged(entry, affected);
            }
        }
    }

    private JsonNode json(GenericKubernetesResource object) {
        return serialization.convertValue(object, JsonNode.class);
    }
}
