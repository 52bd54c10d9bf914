package io.meshguard.server;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.audit.AuditMetrics;
import io.meshguard.audit.AuditResult;
import io.meshguard.audit.AuditRunner;
import io.meshguard.audit.Auditor;
import io.meshguard.audit.GatewayAuditor;
import io.meshguard.audit.cluster.AuditPublisher;
import io.meshguard.audit.cluster.ReportKind;
import io.meshguard.companions.controller.LeaderElection;
import io.meshguard.enforcement.cluster.FailClosedSwitch;
import io.meshguard.index.GatewayIndex;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.rules.ServiceEntryReview;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The audit of stored entries and the fail-closed switch, on one background thread.
 * <ul>
 * <li>Standalone: audits the preloaded or learnt index, first once it is ready, then as {@link AuditRunner} decides.
 *     Nothing is written anywhere; {@code GET /audit} answers the findings.</li>
 * <li>Cluster: one replica, elected through the Lease {@code meshguard.audit.lease-name}, audits after the informers
 *     have synced, writes reports and Events ({@link AuditPublisher}), and runs the fail-closed check
 *     ({@link FailClosedSwitch}) every {@code meshguard.fail-closed.period}. Any replica answers {@code GET /audit},
 *     auditing on demand when its index has changed since its last run.</li>
 * </ul>
 */
@ApplicationScoped
public class AuditLifecycle {

    private static final Logger LOG = Logger.getLogger(AuditLifecycle.class);
    static final long TICK_MILLIS = 1000;

    @Inject
    RunMode mode;

    @Inject
    MeshguardConfig config;

    @Inject
    ServiceEntryIndex index;

    @Inject
    ServiceEntryReview review;

    @Inject
    ClusterFeedLifecycle feed;

    @Inject
    GatewayIndex gateways;

    @Inject
    GatewayFeedLifecycle gatewayFeed;

    @Inject
    MeterRegistry registry;

    @Inject
    Instance<KubernetesClient> client;

    private volatile AuditRunner runner;
    private ScheduledExecutorService thread;
    private LeaderElection election;
    private volatile boolean leading;
    private AuditPublisher publisher;
    private FailClosedSwitch failClosed;
    private boolean publishPending;
    private long nextFailClosedCheck;

    /** After the preload (standalone) and the informers' start (cluster). */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 700) StartupEvent event) {
        MeshguardConfig.Audit settings = config.audit();
        AuditMetrics metrics = new AuditMetrics(registry);
        runner = new AuditRunner(index, new Auditor(review), gateways, GatewayAuditor.standard(), metrics,
                System::currentTimeMillis, settings.interval(), settings.debounce());
        if (!settings.enabled()) {
            LOG.info("the background audit is switched off (meshguard.audit.enabled=false); GET /audit audits on demand");
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meshguard-audit");
            t.setDaemon(true);
            return t;
        });
        if (mode == RunMode.CLUSTER) {
            KubernetesClient kubernetes = client.get();
            String identity = System.getenv().getOrDefault("HOSTNAME", "meshguard-" + UUID.randomUUID());
            publisher = new AuditPublisher(kubernetes, ReportKind.parse(settings.reports()),
                    "networking.istio.io/" + config.cluster().serviceEntryVersion(), settings.maxWritesPerScan(),
                    identity, recorder(metrics));
            if (config.failClosed().enabled()) {
                MeshguardConfig.FailClosed fc = config.failClosed();
                failClosed = new FailClosedSwitch(kubernetes, fc.configuration(), fc.webhook(), fc.namespace(),
                        registry);
            } else {
                LOG.info("the fail-closed switch is off (meshguard.fail-closed.enabled=false): the installed "
                        + "failurePolicy stays as it is");
            }
            String namespace = Objects.requireNonNullElse(kubernetes.getNamespace(), "default");
            election = new LeaderElection(kubernetes, namespace, settings.leaseName(), identity,
                    CompanionConfiguration.leaseTimings(config), this::startLeading, this::stopLeading);
            election.start();
        } else {
            leading = true;
        }
        thread.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (election != null) {
            election.close();
        }
        if (thread != null) {
            thread.shutdownNow();
        }
    }

    private void startLeading() {
        thread.execute(() -> {
            leading = true;
            publishPending = false;
            nextFailClosedCheck = 0;
            runner.runSoon();
            LOG.info("this replica audits the stored ServiceEntries and writes the reports");
        });
    }

    private void stopLeading() {
        leading = false;
    }

    private void tick() {
        try {
            if (!leading || !ready()) {
                return;
            }
            if (runner.due()) {
                AuditResult result = runner.run();
                LOG.debugf("audit: %d entries, %d findings, %d ms", result.entries(), result.findings().size(),
                        result.durationNanos() / 1_000_000);
                if (publisher != null) {
                    publishPending = publisher.publish(result);
                }
            } else if (publishPending && publisher != null) {
                publishPending = publisher.publish(runner.latest());
            }
            if (failClosed != null && System.currentTimeMillis() >= nextFailClosedCheck) {
                FailClosedSwitch.Result result = failClosed.check();
                nextFailClosedCheck = System.currentTimeMillis() + config.failClosed().period().toMillis();
                if (result.outcome() == FailClosedSwitch.Outcome.ANCHOR_CREATED) {
                    // Give the informers a few seconds to deliver the anchor to every replica, not a whole period.
                    nextFailClosedCheck = System.currentTimeMillis() + 10_000;
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "audit: this round failed; the next one tries again");
        }
    }

    /** Whether the informers (ServiceEntries, Gateways and VirtualServices) have listed the cluster. */
    public boolean ready() {
        return feed.ready() && gatewayFeed.ready();
    }

    /** The latest audit, run now if the index has changed since (the answer of {@code GET /audit}). */
    public AuditResult fresh() {
        return runner.fresh();
    }

    private static AuditPublisher.Recorder recorder(AuditMetrics metrics) {
        return new AuditPublisher.Recorder() {
            @Override
            public void reportWritten(String operation) {
                metrics.written("report", operation);
            }

            @Override
            public void eventRecorded() {
                metrics.written("event", "create");
            }

            @Override
            public void writeFailed(String what) {
                metrics.writeFailed(what);
            }
        };
    }
}
