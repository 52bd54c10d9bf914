package io.meshguard.audit;

import io.meshguard.index.GatewayIndex;
import io.meshguard.index.ServiceEntryIndex;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Runs the audit over the live indexes (the ServiceEntries, and the Gateways and VirtualServices when given) and keeps the latest result in memory; decides when a run is due: the first
 * time, then every {@code interval}, and soon after the index changes, once it has been quiet for {@code debounce}
 * (or changing for {@code interval} at a stretch), so that a burst of edits costs one run; but not within
 * {@link #BUSY_SHARE} times the last run's duration of its start.
 */
public final class AuditRunner {

    /**
     * A change starts a run only once the last one has had this many times its duration since it started, so a
     * cluster that changes every few seconds costs the leader at most a tenth of a core: at 100k entries a run takes
     * seconds and, in the webhook's heap, a full collection or two that stop every review.
     */
    static final int BUSY_SHARE = 10;

    private final ServiceEntryIndex index;
    private final Auditor auditor;
    private final GatewayIndex gateways;
    private final GatewayAuditor gatewayAuditor;
    private final AuditMetrics metrics;
    private final LongSupplier clock;
    private final long intervalMillis;
    private final long debounceMillis;
    private volatile AuditResult latest = AuditResult.NONE;
    private long seenVersion = Long.MIN_VALUE;
    private long changedAt;
    private long firstChangeAt = -1;
    private boolean soon;

    public AuditRunner(ServiceEntryIndex index, Auditor auditor, AuditMetrics metrics, LongSupplier clock,
            Duration interval, Duration debounce) {
        this(index, auditor, null, null, metrics, clock, interval, debounce);
    }

    /** @param gateways null (with {@code gatewayAuditor}) to audit ServiceEntries only */
    public AuditRunner(ServiceEntryIndex index, Auditor auditor, GatewayIndex gateways, GatewayAuditor gatewayAuditor,
            AuditMetrics metrics, LongSupplier clock, Duration interval, Duration debounce) {
        this.index = index;
        this.auditor = auditor;
        this.gateways = gateways;
        this.gatewayAuditor = gatewayAuditor;
        this.metrics = metrics;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.debounceMillis = debounce.toMillis();
    }

    /** Audits every stored entry, Gateway and VirtualService now. */
    public synchronized AuditResult run() {
        long version = version();
        long now = clock.getAsLong();
        AuditResult result = auditor.audit(index.stored(), version, now);
        if (gateways != null) {
            long started = System.nanoTime();
            var storedGateways = gateways.confirmedGateways();
            var virtualServices = gateways.allVirtualServices();
            result = result.withGateways(gatewayAuditor.audit(storedGateways, virtualServices, now),
                    storedGateways.size(), virtualServices.size(), System.nanoTime() - started);
        }
        metrics.recordRun(result);
        latest = result;
        soon = false;
        firstChangeAt = -1;
        return result;
    }

    /** The latest result, or {@link AuditResult#NONE}. */
    public AuditResult latest() {
        return latest;
    }

    /** The latest result if the index has not changed since; otherwise a new run's. */
    public AuditResult fresh() {
        AuditResult current = latest;
        if (current != AuditResult.NONE && current.indexVersion() == version()) {
            return current;
        }
        synchronized (this) {
            return latest.indexVersion() == version() && latest != AuditResult.NONE ? latest : run();
        }
    }

    /** The indexes' version: it grows whenever either index changes. */
    private long version() {
        return index.version() + (gateways == null ? 0 : gateways.version());
    }

    /** Asks for a run at the next check whatever changed (writes were left over). */
    public synchronized void runSoon() {
        soon = true;
    }

    /** Whether {@code last} started at least {@link #BUSY_SHARE} times its duration before {@code nowMillis}. */
    static boolean rested(AuditResult last, long nowMillis) {
        return nowMillis - last.startedMillis() >= BUSY_SHARE * (last.durationNanos() / 1_000_000);
    }

    /** Whether a run is due now; call it regularly (every second or so), it also notices changes. */
    public synchronized boolean due() {
        long now = clock.getAsLong();
        long version = version();
        if (version != seenVersion) {
            seenVersion = version;
            changedAt = now;
            if (firstChangeAt < 0) {
                firstChangeAt = now;
            }
        }
        AuditResult current = latest;
        if (current == AuditResult.NONE || soon) {
            return true;
        }
        if (now - current.startedMillis() >= intervalMillis) {
            return true;
        }
        if (current.indexVersion() != version) {
            if (!rested(current, now)) {
                return false;
            }
            return now - changedAt >= debounceMillis || (firstChangeAt >= 0 && now - firstChangeAt >= intervalMillis);
        }
        return false;
    }
}
