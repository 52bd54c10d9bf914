package io.meshguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.meshguard.mesh.CompanionOwner;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.RoutingVirtualService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The informer indexes the companion controller looks objects up by, as controller-runtime's field indexes:
 * companions by the entry that owns them, ServiceEntries and VirtualServices by the hosts they name. Each is
 * computed from one object when the informer stores it, so a lookup costs what it finds, not the cluster's size.
 */
public final class CompanionIndexes {

    /** {@code namespace/name} of the owning ServiceEntry, by {@link CompanionOwner}'s rule. */
    public static final String BY_OWNER = "meshguard-owner";

    /** Each of {@code spec.hosts}, short names completed in the object's namespace as the planner compares them. */
    public static final String BY_HOST = "meshguard-host";

    private CompanionIndexes() {
    }

    /** Adds the index unless the store has it already (a shared informer outlives one term as leader). */
    public static void ensure(Indexer<GenericKubernetesResource> indexer, String name,
            Function<GenericKubernetesResource, List<String>> function) {
        synchronized (indexer) {
            if (!indexer.getIndexers().containsKey(name)) {
                indexer.addIndexers(Map.of(name, function));
            }
        }
    }

    /** The key {@link #BY_OWNER} files an entry's companions under. */
    public static String ownerKey(EntryKey entry) {
        return entry.namespace() + "/" + entry.name();
    }

    /** The key {@link #BY_HOST} files a host under, as an object of {@code namespace} names it. */
    public static String hostKey(String host, String namespace) {
        return RoutingVirtualService.qualified(host, namespace);
    }

    public static List<String> byOwner(GenericKubernetesResource object) {
        return owner(object).map(entry -> List.of(ownerKey(entry))).orElse(List.of());
    }

    public static List<String> byHost(GenericKubernetesResource object) {
        String namespace = object.getMetadata().getNamespace();
        return hosts(object).stream().map(host -> hostKey(host, namespace)).distinct().toList();
    }

    /** The ServiceEntry that controls the object, read from fabric8's metadata by the shared rule. */
    public static Optional<EntryKey> owner(GenericKubernetesResource object) {
        ObjectMeta metadata = object.getMetadata();
        List<CompanionOwner.Reference> references = new ArrayList<>();
        if (metadata.getOwnerReferences() != null) {
            for (OwnerReference reference : metadata.getOwnerReferences()) {
                references.add(new CompanionOwner.Reference(reference.getApiVersion(), reference.getKind(),
                        reference.getName(), Boolean.TRUE.equals(reference.getController())));
            }
        }
        return CompanionOwner.of(metadata.getNamespace(), metadata.getLabels(), references);
    }

    /** {@code spec.hosts} as stored; an entry of another shape names no host. */
    static List<String> hosts(GenericKubernetesResource object) {
        if (!(object.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec)
                || !(spec.get("hosts") instanceof List<?> hosts)) {
            return List.of();
        }
        List<String> texts = new ArrayList<>(hosts.size());
        for (Object host : hosts) {
            if (host instanceof String text) {
                texts.add(text);
            }
        }
        return texts;
    }
}
