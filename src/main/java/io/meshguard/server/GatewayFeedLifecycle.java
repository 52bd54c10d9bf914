package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.cluster.GatewayFeed;
import io.meshguard.index.GatewayIndex;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * In cluster mode, starts the informers on Gateways and VirtualServices that feed the {@link GatewayIndex}.
 * Standalone, the index learns from the reviews meshguard allows.
 */
@ApplicationScoped
public class GatewayFeedLifecycle {

    private static final Logger LOG = Logger.getLogger(GatewayFeedLifecycle.class);

    @Inject
    RunMode mode;

    @Inject
    MeshguardConfig config;

    @Inject
    GatewayIndex index;

    @Inject
    Instance<KubernetesClient> client;

    private volatile GatewayFeed feed;

    void onStart(@Observes StartupEvent event) {
        if (mode != RunMode.CLUSTER) {
            return;
        }
        String version = config.cluster().serviceEntryVersion();
        feed = new GatewayFeed(client.get(), index, version, System::currentTimeMillis);
        feed.start();
        LOG.infof("meshguard watches Gateways and VirtualServices (%s)", version);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.close();
        }
    }

    /** Standalone: always; in cluster mode, once both informers have listed. */
    public boolean ready() {
        return mode == RunMode.STANDALONE || feed != null && feed.hasSynced();
    }
}
