package io.meshguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshguard.decode.VirtualServiceReader;
import io.meshguard.index.VirtualServiceIndex;
import io.meshguard.mesh.RoutingVirtualService;

/**
 * Feeds the VirtualService index from an informer on every namespace. Every replica runs it: the mutating
 * webhook plans with it. The elected controller adds its own handler to the same informer.
 */
public final class VirtualServiceFeed implements AutoCloseable {

    private final KubernetesClient client;
    private final VirtualServiceIndex index;
    private final String version;
    private SharedIndexInformer<GenericKubernetesResource> informer;

    public VirtualServiceFeed(KubernetesClient client, VirtualServiceIndex index, String version) {
        this.client = client;
        this.index = index;
        this.version = version;
    }

    public void start() {
        informer = client.genericKubernetesResources(IstioKinds.context("VirtualService", version))
                .inAnyNamespace().runnableInformer(0);
        informer.addEventHandler(InformerEvents.upsertOrDelete(vs -> index.put(read(vs)),
                vs -> index.remove(vs.getMetadata().getNamespace(), vs.getMetadata().getName())));
        informer.start();
    }

    public boolean hasSynced() {
        return informer != null && informer.hasSynced();
    }

    public SharedIndexInformer<GenericKubernetesResource> informer() {
        return informer;
    }

    private RoutingVirtualService read(GenericKubernetesResource virtualService) {
        return VirtualServiceReader.read(client.getKubernetesSerialization().convertValue(virtualService,
                JsonNode.class));
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
