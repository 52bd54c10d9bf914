package io.meshguard.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshguard.companions.controller.CompanionCache;
import io.meshguard.companions.controller.CompanionWatch;
import io.meshguard.mesh.CompanionOwner;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The informers the companion controller reads and watches. It shares the ServiceEntry and VirtualService
 * informers every replica runs (adding its indexes to them) and opens its own on meshguard's Gateways and
 * DestinationRules, labelled as meshguard's. Changes are routed to the entries they affect through
 * {@link CompanionStores}.
 */
public final class CompanionInformers implements CompanionWatch {

    private final SharedIndexInformer<GenericKubernetesResource> entries;
    private final SharedIndexInformer<GenericKubernetesResource> virtualServices;
    private final SharedIndexInformer<GenericKubernetesResource> gateways;
    private final SharedIndexInformer<GenericKubernetesResource> destinationRules;
    private final CompanionStores stores;
    private final List<Runnable> detach = new ArrayList<>();

    /**
     * @param apiVersion the {@code networking.istio.io} version to read Gateways and DestinationRules in
     */
    public CompanionInformers(KubernetesClient client, SharedIndexInformer<GenericKubernetesResource> entries,
            SharedIndexInformer<GenericKubernetesResource> virtualServices, Supplier<MeshConfig> mesh,
            String apiVersion) {
        this.entries = entries;
        this.virtualServices = virtualServices;
        this.gateways = ownInformer(client, "Gateway", apiVersion);
        this.destinationRules = ownInformer(client, "DestinationRule", apiVersion);
        this.stores = new CompanionStores(entries.getIndexer(), virtualServices.getIndexer(), gateways.getIndexer(),
                destinationRules.getIndexer(), mesh, client.getKubernetesSerialization());
    }

    /** What the reconciler reads, over these informers' stores. */
    public CompanionCache cache() {
        return stores;
    }

    @Override
    public void start(Consumer<EntryKey> affected) {
        for (SharedIndexInformer<GenericKubernetesResource> own : List.of(gateways, destinationRules)) {
            own.addEventHandler(InformerEvents.eachVersion(companion -> stores.companionChanged(companion, affected)));
            own.start();
        }
        attach(virtualServices, InformerEvents.eachVersion(vs -> stores.virtualServiceChanged(vs, affected)));
        attach(entries, InformerEvents.anyChange(entry -> stores.entryChanged(entry, affected)));
    }

    /** True once the controller's own informers have listed (the shared ones are the feeds' to report). */
    @Override
    public boolean hasSynced() {
        return gateways.hasSynced() && destinationRules.hasSynced();
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
        detach.clear();
        gateways.close();
        destinationRules.close();
    }

    private void attach(SharedIndexInformer<GenericKubernetesResource> shared,
            ResourceEventHandler<GenericKubernetesResource> handler) {
        shared.addEventHandler(handler);
        detach.add(() -> shared.removeEventHandler(handler));
    }

    private static SharedIndexInformer<GenericKubernetesResource> ownInformer(KubernetesClient client, String kind,
            String apiVersion) {
        return client.genericKubernetesResources(IstioKinds.context(kind, apiVersion))
                .inAnyNamespace()
                .withLabel(CompanionOwner.MANAGED_BY, CompanionOwner.MANAGED_BY_VALUE)
                .runnableInformer(0);
    }
}
