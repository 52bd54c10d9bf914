package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.cluster.ServerSideApplyWriter;
import io.meshguard.cluster.UpdateWriter;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.controller.Backoff;
import io.meshguard.companions.controller.CompanionWriter;
import io.meshguard.companions.controller.LeaderElection;
import io.meshguard.mesh.EgressGateway;
import io.meshguard.mesh.EgressSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;

/**
 * Turns the {@code meshguard.companions.*} keys into the planner's settings and the controller's parts (its
 * write path, retry delays and Lease timings), refusing a value it cannot use with the key's name.
 */
final class CompanionConfiguration {

    private static final String CONTROLLER = "meshguard.companions.controller.";

    private CompanionConfiguration() {
    }

    static CompanionSettings settings(MeshguardConfig config) {
        MeshguardConfig.Companions.Egress egress = config.companions().egress();
        var selector = EgressGateway.parseSelector(egress.selector()).orElseThrow(() -> new IllegalArgumentException(
                "meshguard.companions.egress.selector must be key=value[,key=value], got '" + egress.selector() + "'"));
        EgressSettings egressSettings = new EgressSettings(
                new EgressGateway(egress.namespace(), egress.serviceHost(), selector),
                egress.httpPort(), egress.tlsPort(), new HashSet<>(egress.servicePorts()), egress.subset(),
                egress.clusterDomain());
        return new CompanionSettings("networking.istio.io/" + config.cluster().serviceEntryVersion(),
                config.companions().sni().enabled(), egressSettings);
    }

    /** {@code write-path}: server-side apply for a real API server, create/update where apply is missing. */
    static CompanionWriter writer(MeshguardConfig config, KubernetesClient client) {
        String path = config.companions().controller().writePath().trim().toLowerCase(Locale.ROOT);
        return switch (path) {
            case "server-side-apply" -> new ServerSideApplyWriter(client);
            case "update" -> new UpdateWriter(client);
            default -> throw new IllegalArgumentException(
                    CONTROLLER + "write-path must be server-side-apply or update, got '" + path + "'");
        };
    }

    static Backoff backoff(MeshguardConfig config) {
        MeshguardConfig.Companions.Controller controller = config.companions().controller();
        positive("retry-first", controller.retryFirst());
        if (controller.retryMax().compareTo(controller.retryFirst()) < 0) {
            throw new IllegalArgumentException(CONTROLLER + "retry-max (" + controller.retryMax()
                    + ") must not be shorter than " + CONTROLLER + "retry-first (" + controller.retryFirst() + ")");
        }
        return new Backoff(controller.retryFirst(), controller.retryMax());
    }

    /** Ordered as client-go's leader election requires: retry period &lt; renew deadline &lt; lease duration. */
    static LeaderElection.Timings leaseTimings(MeshguardConfig config) {
        MeshguardConfig.Companions.Controller controller = config.companions().controller();
        positive("lease-retry-period", controller.leaseRetryPeriod());
        if (controller.leaseRenewDeadline().compareTo(controller.leaseDuration()) >= 0
                || controller.leaseRetryPeriod().compareTo(controller.leaseRenewDeadline()) >= 0) {
            throw new IllegalArgumentException(CONTROLLER + "lease-retry-period (" + controller.leaseRetryPeriod()
                    + ") < lease-renew-deadline (" + controller.leaseRenewDeadline() + ") < lease-duration ("
                    + controller.leaseDuration() + ") must hold");
        }
        return new LeaderElection.Timings(controller.leaseDuration(), controller.leaseRenewDeadline(),
                controller.leaseRetryPeriod());
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(CONTROLLER + key + " must be positive, got " + value);
        }
    }
}
