package io.meshguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Feeds the {@link GatewayIndex} from the cluster: an informer on Gateways in every namespace, and the
 * VirtualServices, either from an informer of its own or through a handler on one another feed already runs.
 */
public final class GatewayFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayFeed.class);

    private final KubernetesClient client;
    private final GatewayIndex index;
    private final String version;
    private final LongSupplier clock;
    private final List<SharedIndexInformer<GenericKubernetesResource>> owned = new ArrayList<>();
    private SharedIndexInformer<GenericKubernetesResource> gateways;
    private SharedIndexInformer<GenericKubernetesResource> virtualServices;

    public GatewayFeed(KubernetesClient client, GatewayIndex index, String version, LongSupplier clock) {
        this.client = client;
        this.index = index;
        this.version = version;
        this.clock = clock;
    }

    /** Starts an informer on Gateways and one on VirtualServices. */
    public void start() {
        SharedIndexInformer<GenericKubernetesResource> vs = client.genericKubernetesResources(
                IstioKinds.context("VirtualService", version)).inAnyNamespace().runnableInformer(0);
        owned.add(vs);
        start(vs);
        vs.start();
    }

    /** Starts an informer on Gateways; VirtualServices come through a handler on {@code sharedVirtualServices}. */
    public void start(SharedIndexInformer<GenericKubernetesResource> sharedVirtualServices) {
        virtualServices = sharedVirtualServices;
        virtualServices.addEventHandler(InformerEvents.upsertOrDelete(this::applyVirtualService,
                vs -> index.removeVirtualService(key(vs))));
        gateways = client.genericKubernetesResources(IstioKinds.context("Gateway", version)).inAnyNamespace()
                .runnableInformer(0);
        owned.add(gateways);
        gateways.addEventHandler(InformerEvents.upsertOrDelete(this::applyGateway,
                gateway -> index.removeGateway(key(gateway))));
        gateways.start();
    }

    public boolean hasSynced() {
        return gateways != null && virtualServices != null && gateways.hasSynced() && virtualServices.hasSynced();
    }

    private void applyGateway(GenericKubernetesResource gateway) {
        try {
            index.confirm(GatewayReader.read(json(gateway), null, clock.getAsLong()));
        } catch (MalformedObjectException e) {
            // The cluster no longer holds an earlier version; keeping one would judge against a ghost.
            index.removeGateway(key(gateway));
            LOG.warnf("Gateway %s is persisted but unreadable, so it is not indexed: %s", key(gateway),
                    e.getMessage());
        }
    }

    private void applyVirtualService(GenericKubernetesResource vs) {
        try {
            index.putVirtualService(VirtualServiceBindingReader.read(json(vs), null, clock.getAsLong()));
        } catch (MalformedObjectException e) {
            index.removeVirtualService(key(vs));
            LOG.warnf("VirtualService %s is persisted but unreadable, so it is not indexed: %s", key(vs),
                    e.getMessage());
        }
    }

    private JsonNode json(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
    }

    private static EntryKey key(GenericKubernetesResource resource) {
        return new EntryKey(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    }

    @Override
    public void close() {
        owned.forEach(SharedIndexInformer::close);
    }
}
