package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.cluster.ClusterIndexFeed;
import io.meshguard.index.ServiceEntryIndex;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Starts the informers in cluster mode; in standalone mode the Kubernetes client is never touched. */
@ApplicationScoped
public class ClusterFeedLifecycle {

    private static final Logger LOG = Logger.getLogger(ClusterFeedLifecycle.class);

    @Inject
    RunMode mode;

    @Inject
    MeshguardConfig config;

    @Inject
    ServiceEntryIndex index;

    @Inject
    Instance<KubernetesClient> client;

    @Inject
    StandalonePreload preload;

    private volatile ClusterIndexFeed feed;

    void onStart(@Observes StartupEvent event) {
        if (mode != RunMode.CLUSTER) {
            LOG.info("meshguard runs standalone: the index learns from the reviews it allows");
            return;
        }
        MeshguardConfig.Cluster cluster = config.cluster();
        feed = new ClusterIndexFeed(client.get(), index, new ClusterIndexFeed.Source(cluster.serviceEntryVersion(),
                cluster.meshConfigNamespace(), cluster.meshConfigName(), cluster.meshConfigKey()),
                System::currentTimeMillis);
        feed.start();
        LOG.infof("meshguard watches ServiceEntries (%s) and MeshConfig %s/%s", cluster.serviceEntryVersion(),
                cluster.meshConfigNamespace(), cluster.meshConfigName());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.close();
        }
    }

    /** The running feed in cluster mode, or null (standalone, or before start-up). */
    ClusterIndexFeed feed() {
        return feed;
    }

    /** In standalone mode, once the preload folder (if any) is in; in cluster mode, once both informers have listed. */
    public boolean ready() {
        return mode == RunMode.STANDALONE ? preload.done() : feed != null && feed.hasSynced();
    }
}
