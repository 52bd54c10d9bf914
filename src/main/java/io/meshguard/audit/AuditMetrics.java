package io.meshguard.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit's metrics: findings by code and severity as of the last run, when it ran, how long it took, how many
 * entries it read, and what was written to the cluster.
 * <pre>
 * meshguard_audit_findings{rule,severity}    findings of the last run
 * meshguard_audit_entries                     entries the last run audited
 * meshguard_audit_gateways                    Gateways the last run audited
 * meshguard_audit_virtualservices             VirtualServices the last run audited
 * meshguard_audit_last_run_seconds            when the last run started (Unix time)
 * meshguard_audit_duration_seconds            time per run (a timer)
 * meshguard_audit_writes_total{kind,operation} reports and Events written
 * meshguard_audit_write_failures_total{kind}
 * </pre>
 */
public final class AuditMetrics {

    private record Series(String code, String severity) {
    }

    private final MeterRegistry registry;
    private final Map<Series, AtomicLong> findings = new ConcurrentHashMap<>();
    private final AtomicLong entries = new AtomicLong();
    private final AtomicLong gateways = new AtomicLong();
    private final AtomicLong virtualServices = new AtomicLong();
    private final AtomicLong lastRunMillis = new AtomicLong();
    private final Timer duration;

    public AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("meshguard.audit.entries", entries, AtomicLong::get)
                .description("ServiceEntries the last audit read").register(registry);
        Gauge.builder("meshguard.audit.gateways", gateways, AtomicLong::get)
                .description("Gateways the last audit read").register(registry);
        Gauge.builder("meshguard.audit.virtualservices", virtualServices, AtomicLong::get)
                .description("VirtualServices the last audit read").register(registry);
        Gauge.builder("meshguard.audit.last.run.seconds", lastRunMillis, m -> m.get() / 1000.0)
                .description("When the last audit started, in seconds since the Unix epoch (0: none yet)")
                .register(registry);
        duration = Timer.builder("meshguard.audit.duration").description("Time to audit every stored entry")
                .register(registry);
    }

    public void recordRun(AuditResult result) {
        Map<Series, Long> counts = new java.util.HashMap<>();
        result.findings().forEach(f -> counts.merge(new Series(f.code(), f.severity()), 1L, Long::sum));
        counts.keySet().forEach(this::series);
        // Codes that disappeared read 0 rather than vanishing: a dashboard sees the drop.
        findings.forEach((series, value) -> value.set(counts.getOrDefault(series, 0L)));
        entries.set(result.entries());
        gateways.set(result.gateways());
        virtualServices.set(result.virtualServices());
        lastRunMillis.set(result.startedMillis());
        duration.record(result.durationNanos(), TimeUnit.NANOSECONDS);
    }

    private AtomicLong series(Series series) {
        return findings.computeIfAbsent(series, s -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("meshguard.audit.findings", value, AtomicLong::get)
                    .description("Findings of the last audit, by code and severity")
                    .tag("rule", s.code()).tag("severity", s.severity()).register(registry);
            return value;
        });
    }

    public void written(String kind, String operation) {
        Counter.builder("meshguard.audit.writes").description("Reports and Events the audit wrote")
                .tag("kind", kind).tag("operation", operation).register(registry).increment();
    }

    public void writeFailed(String kind) {
        Counter.builder("meshguard.audit.write.failures").description("Report and Event writes that failed")
                .tag("kind", kind).register(registry).increment();
    }
}
