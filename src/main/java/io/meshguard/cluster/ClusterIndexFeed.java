package io.meshguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Feeds the index from the cluster: an informer on ServiceEntries in every namespace and one on the
 * MeshConfig ConfigMap. Only the compact facts are kept; the informers' own stores hold the objects.
 */
public final class ClusterIndexFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterIndexFeed.class);

    /** Where the feed reads from. */
    public record Source(String serviceEntryVersion, String meshNamespace, String meshName, String meshKey) {
    }

    private final KubernetesClient client;
    private final ServiceEntryIndex index;
    private final Source source;
    private final LongSupplier clock;
    private volatile long lastEventMillis;
    private SharedIndexInformer<GenericKubernetesResource> entries;
    private SharedIndexInformer<ConfigMap> meshConfig;

    public ClusterIndexFeed(KubernetesClient client, ServiceEntryIndex index, Source source, LongSupplier clock) {
        this.client = client;
        this.index = index;
        this.source = source;
        this.clock = clock;
    }

    /** Starts both informers without waiting for them; {@link #hasSynced()} tells when they are ready. */
    public void start() {
        meshConfig = client.configMaps().inNamespace(source.meshNamespace()).withName(source.meshName())
                .runnableInformer(0);
        meshConfig.addEventHandler(InformerEvents.upsertOrDelete(this::applyMeshConfig, deleted -> index.setMesh(MeshConfig.DEFAULT)));
        meshConfig.start();

        entries = client.genericKubernetesResources(IstioKinds.context("ServiceEntry", source.serviceEntryVersion())).inAnyNamespace().runnableInformer(0);
        entries.addEventHandler(InformerEvents.upsertOrDelete(this::confirm, entry -> {
            index.remove(new EntryKey(entry.getMetadata().getNamespace(), entry.getMetadata().getName()));
            lastEventMillis = clock.getAsLong();
        }));
        entries.start();
    }

    /** The ServiceEntry informer, for the companion controller to share rather than list everything twice. */
    public SharedIndexInformer<GenericKubernetesResource> serviceEntryInformer() {
        return entries;
    }

    public boolean hasSynced() {
        return entries != null && meshConfig != null && entries.hasSynced() && meshConfig.hasSynced();
    }

    /** Milliseconds since the last event from the API server, or -1 before the first. */
    public long millisSinceLastEvent() {
        long last = lastEventMillis;
        return last == 0 ? -1 : clock.getAsLong() - last;
    }

    /** Records the event only once the index reflects it, so a reader that saw the event sees its effect. */
    private void confirm(GenericKubernetesResource entry) {
        try {
            apply(entry);
        } finally {
            lastEventMillis = clock.getAsLong();
        }
    }

    private void apply(GenericKubernetesResource entry) {
        JsonNode json = client.getKubernetesSerialization().convertValue(entry, JsonNode.class);
        try {
            index.confirm(ServiceEntryReader.readStored(json, null, clock.getAsLong()));
        } catch (MalformedObjectException e) {
            // The cluster no longer holds any earlier version, so keeping one would judge against a ghost.
            index.remove(new EntryKey(entry.getMetadata().getNamespace(), entry.getMetadata().getName()));
            LOG.warnf("ServiceEntry %s/%s is persisted but unreadable, so it is not indexed: %s",
                    entry.getMetadata().getNamespace(), entry.getMetadata().getName(), e.getMessage());
        }
    }

    private void applyMeshConfig(ConfigMap configMap) {
        String yaml = configMap.getData() == null ? null : configMap.getData().get(source.meshKey());
        try {
            index.setMesh(MeshConfigReader.fromYaml(yaml));
        } catch (MalformedObjectException e) {
            LOG.errorf("MeshConfig %s/%s key %s is unreadable; keeping the previous one: %s",
                    source.meshNamespace(), source.meshName(), source.meshKey(), e.getMessage());
        }
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> informer : java.util.Arrays.asList(entries, meshConfig)) {
            if (informer != null) {
                informer.close();
            }
        }
    }
}
