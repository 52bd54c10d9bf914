package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.cluster.VirtualServiceFeed;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.controller.CompanionController;
import io.meshguard.companions.controller.CompanionWriter;
import io.meshguard.companions.controller.LeaderElection;
import io.meshguard.companions.controller.ServerSideApplyWriter;
import io.meshguard.companions.controller.UpdateWriter;
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
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * In cluster mode: starts the VirtualService informer that the mutating webhook plans with (every replica),
 * and stands for the Lease that elects the one replica that runs the companion controller. Standalone,
 * meshguard knows of no VirtualService, plans as if there were none, and writes nothing.
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
        writer = writer(client.get());
        String identity = System.getenv().getOrDefault("HOSTNAME", "meshguard-" + UUID.randomUUID());
        // In a pod the client knows its namespace from the service account; elsewhere it may not.
        String namespace = controllerConfig.leaseNamespace()
                .orElseGet(() -> Objects.requireNonNullElse(client.get().getNamespace(), "default"));
        election = new LeaderElection(client.get(), namespace, controllerConfig.leaseName(), identity,
                LeaderElection.Timings.DEFAULT, this::startController, this::stopController);
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
        controller = new CompanionController(kubernetes,
                new CompanionController.Sources(clusterFeed.feed().serviceEntryInformer(), feed.informer(),
                        index::mesh),
                new CompanionPlanner(settings), writer, settings.apiVersion(),
                Duration.ofMillis(500), Duration.ofMinutes(2));
        controller.start();
    }

    private synchronized void stopController() {
        if (controller != null) {
            controller.close();
            controller = null;
        }
    }

    private CompanionWriter writer(KubernetesClient kubernetes) {
        String path = config.companions().controller().writePath().trim().toLowerCase(Locale.ROOT);
        return switch (path) {
            case "server-side-apply" -> new ServerSideApplyWriter(kubernetes);
            case "update" -> new UpdateWriter(kubernetes);
            default -> throw new IllegalArgumentException(
                    "meshguard.companions.controller.write-path must be server-side-apply or update, got '" + path + "'");
        };
    }
}
