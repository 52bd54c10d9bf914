package io.meshguard.companions.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Elects one replica through a Kubernetes Lease, as controller-runtime does: the leader runs {@code onStart},
 * and runs {@code onStop} when it loses the Lease, after which it stands again. The other replicas keep
 * serving admission reviews; only writing companions needs a single writer.
 */
public final class LeaderElection implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    /** Lease timings: how long a lease lasts, when the leader must have renewed it, how often others retry. */
    public record Timings(Duration lease, Duration renewDeadline, Duration retryPeriod) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String identity;
    private final Timings timings;
    private final Runnable onStart;
    private final Runnable onStop;
    private volatile boolean leading;
    private volatile boolean closed;
    private volatile CompletableFuture<?> running;

    public LeaderElection(KubernetesClient client, String namespace, String name, String identity, Timings timings,
            Runnable onStart, Runnable onStop) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.identity = identity;
        this.timings = timings;
        this.onStart = onStart;
        this.onStop = onStop;
    }

    public synchronized void start() {
        if (closed) {
            return;
        }
        running = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName(name)
                .withLock(new LeaseLock(namespace, name, identity))
                .withLeaseDuration(timings.lease())
                .withRenewDeadline(timings.renewDeadline())
                .withRetryPeriod(timings.retryPeriod())
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                        leader -> LOG.infof("Lease %s/%s is held by %s", namespace, name,
                                leader == null ? "nobody (released)" : leader)))
                .build()).build().start();
        // fabric8's elector ends when leadership is lost; stand again unless closing.
        running.whenComplete((result, error) -> {
            if (!closed) {
                start();
            }
        });
    }

    public boolean isLeader() {
        return leading;
    }

    public String identity() {
        return identity;
    }

    private void startedLeading() {
        leading = true;
        LOG.infof("%s leads through Lease %s/%s and writes companions", identity, namespace, name);
        onStart.run();
    }

    private void stoppedLeading() {
        leading = false;
        LOG.infof("%s no longer leads; it stops writing companions", identity);
        onStop.run();
    }

    /** Stops standing and, when leading, releases the Lease so another replica takes over at once. */
    @Override
    public synchronized void close() {
        closed = true;
        if (running != null) {
            running.cancel(true);
        }
    }
}
