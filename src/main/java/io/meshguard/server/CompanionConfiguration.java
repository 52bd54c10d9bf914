package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.controller.Backoff;
import io.meshguard.companions.controller.CompanionWriter;
import io.meshguard.companions.controller.LeaderElection;
import io.meshguard.companions.controller.ServerSideApplyWriter;
import io.meshguard.companions.controller.UpdateWriter;
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

    /**
     * Related as client-go's leader election requires: the lease outlasts the renew deadline, and the deadline
     * leaves room for more than one retry (longer than 1.2 retry periods, the jitter client-go allows).
     */
    static LeaderElection.Timings leaseTimings(MeshguardConfig config) {
        MeshguardConfig.Companions.Controller controller = config.companions().controller();
        positive("lease-retry-period", controller.leaseRetryPeriod());
        Duration lease = controller.leaseDuration();
        Duration renew = controller.leaseRenewDeadline();
        Duration retry = controller.leaseRetryPeriod();
        if (renew.compareTo(lease) >= 0 || renew.toMillis() * 10 <= retry.toMillis() * 12) {
            throw new IllegalArgumentException(CONTROLLER + "lease-duration (" + lease + ") > lease-renew-deadline ("
                    + renew + ") > 1.2 × lease-retry-period (" + retry + ") must hold");
        }
        return new LeaderElection.Timings(lease, renew, retry);
    }

    private static void positive(String key, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(CONTROLLER + key + " must be positive, got " + value);
        }
    }
}
