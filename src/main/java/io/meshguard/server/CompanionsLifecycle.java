package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.cluster.VirtualServiceFeed;
import io.meshguard.index.VirtualServiceIndex;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

/**
 * In cluster mode, starts the VirtualService informer that the mutating webhook plans with. Standalone,
 * meshguard knows of no VirtualService and plans as if there were none.
 */
@ApplicationScoped
public class CompanionsLifecycle {

    @Inject
    RunMode mode;

    @Inject
    MeshguardConfig config;

    @Inject
    VirtualServiceIndex virtualServices;

    @Inject
    Instance<KubernetesClient> client;

    private volatile VirtualServiceFeed feed;

    void onStart(@Observes StartupEvent event) {
        if (mode != RunMode.CLUSTER) {
            return;
        }
        feed = new VirtualServiceFeed(client.get(), virtualServices, config.cluster().serviceEntryVersion());
        feed.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.close();
        }
    }

    /** True standalone; in cluster mode once the VirtualServices are listed. */
    public boolean ready() {
        return mode == RunMode.STANDALONE || (feed != null && feed.hasSynced());
    }
}
