package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.cluster.CompanionInformers;
import io.meshguard.cluster.KubernetesEvents;
import io.meshguard.cluster.VirtualServiceFeed;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.controller.Backoff;
import io.meshguard.companions.controller.CompanionController;
import io.meshguard.companions.controller.CompanionWriter;
import io.meshguard.companions.controller.LeaderElection;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.index.VirtualServiceIndex;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * In cluster mode: starts the VirtualService informer that the mutating webhook plans with (every replica),
 * and stands for the Lease that elects the one replica that runs the companion controller, assembled from
 * configuration: the informers of {@code cluster/}, the configured write path, retry delays and Lease timings.
 * Standalone, meshguard knows of no VirtualService, plans as if there were none, and writes nothing.
 */
@ApplicationScoped
public class CompanionsLifecycle {

    private static final Logger LOG = Logger.getLogger(CompanionsLifecycle.class);

    @Inject
    RunMode mode;

    @Inject
    MeshguardConfig config;

    @Inject
    CompanionSettings settings;

    @Inject
    VirtualServiceIndex virtualServices;

    @Inject
    ServiceEntryIndex index;

    @Inject
    ClusterFeedLifecycle clusterFeed;

    @Inject
    Instance<KubernetesClient> client;

    private volatile VirtualServiceFeed feed;
    private volatile LeaderElection election;
    private CompanionWriter writer;
    private Backoff backoff;
    private CompanionController controller;

    /** After {@link ClusterFeedLifecycle}, whose ServiceEntry informer the controller shares. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        if (mode != RunMode.CLUSTER) {
            return;
        }
        feed = new VirtualServiceFeed(client.get(), virtualServices, config.cluster().serviceEntryVersion());
        feed.start();
        MeshguardConfig.Companions.Controller controllerConfig = config.companions().controller();
        if (!controllerConfig.enabled()) {
            LOG.info("the companion controller is switched off: this deployment writes no companions");
            return;
        }
        writer = CompanionConfiguration.writer(config, client.get());
        backoff = CompanionConfiguration.backoff(config);
        LeaderElection.Timings timings = CompanionConfiguration.leaseTimings(config);
        String identity = System.getenv().getOrDefault("HOSTNAME", "meshguard-" + UUID.randomUUID());
        // In a pod the client knows its namespace from the service account; elsewhere it may not.
        String namespace = controllerConfig.leaseNamespace()
                .orElseGet(() -> Objects.requireNonNullElse(client.get().getNamespace(), "default"));
        election = new LeaderElection(client.get(), namespace, controllerConfig.leaseName(), identity,
                timings, this::startController, this::stopController);
        election.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (election != null) {
            election.close();
        }
        stopController();
        if (feed != null) {
            feed.close();
        }
    }

    /** True standalone; in cluster mode once the VirtualServices are listed. */
    public boolean ready() {
        return mode == RunMode.STANDALONE || (feed != null && feed.hasSynced());
    }

    private synchronized void startController() {
        KubernetesClient kubernetes = client.get();
        CompanionInformers informers = new CompanionInformers(kubernetes,
                clusterFeed.feed().serviceEntryInformer(), feed.informer(), index::mesh, settings.apiVersion());
        controller = new CompanionController(informers.cache(), informers, new CompanionPlanner(settings), writer,
                new KubernetesEvents(kubernetes), backoff);
        controller.start();
    }

    private synchronized void stopController() {
        if (controller != null) {
            controller.close();
            controller = null;
        }
    }
}
