package io.meshguard.server;

import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.Outcome;
import io.meshguard.admission.ReviewMeter;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.rules.Finding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Review latency, decisions, denials by rule, warnings, errors and index size, for Prometheus. Every review is
 * timed, failed ones too: {@code decision} is allowed, warned or denied for an answer, and rejected (400),
 * unavailable (503) or failed (500) for a review answered with an error.
 */
@ApplicationScoped
public class AdmissionMetrics implements ReviewMeter {

    @Inject
    MeterRegistry registry;

    @Inject
    ServiceEntryIndex index;

    @PostConstruct
    void registerGauges() {
        Gauge.builder("meshguard.index.entries", index, ServiceEntryIndex::size)
                .description("ServiceEntries in the index, reservations included").register(registry);
        Gauge.builder("meshguard.index.reservations", index, ServiceEntryIndex::reservations)
                .description("Allowed entries not yet confirmed by the informer").register(registry);
    }

    @Override
    public void answered(String webhook, Outcome outcome, long nanos) {
        String decision = outcome.allowed() ? (outcome.warnings().isEmpty() ? "allowed" : "warned") : "denied";
        AdmissionRequestView request = outcome.request();
        time(webhook, request.operation().name(), request.kind(), decision, nanos);
        for (Finding denial : outcome.denials()) {
            count("meshguard.denials", denial.code());
        }
        for (Finding warning : outcome.warnings()) {
            count("meshguard.warnings", warning.code());
        }
    }

    @Override
    public void failed(String webhook, AdmissionRequestView request, int status, long nanos) {
        String decision = switch (status) {
            case 503 -> "unavailable";
            case 500 -> "failed";
            default -> "rejected";
        };
        time(webhook, request == null ? "UNKNOWN" : request.operation().name(),
                request == null ? "" : request.kind(), decision, nanos);
    }

    private record TimerKey(String webhook, String operation, String kind, String outcome) {
    }

    /** Registered once per tag set: the builder and its lookup would otherwise run on every review. */
    private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

    private void time(String webhook, String operation, String kind, String outcome, long nanos) {
        timers.computeIfAbsent(new TimerKey(webhook, operation, kindTag(kind), outcome),
                key -> Timer.builder("meshguard.review")
                        .description("Time to answer one AdmissionReview")
                        .tag("webhook", key.webhook())
                        .tag("operation", key.operation())
                        .tag("kind", key.kind())
                        .tag("decision", key.outcome())
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private void count(String name, String rule) {
        Counter.builder(name).tag("rule", rule).register(registry).increment();
    }

    /** The kinds a webhook may be registered for; any other text in a review is "other". */
    static final java.util.Set<String> KNOWN_KINDS = java.util.Set.of("ServiceEntry", "VirtualService", "Gateway",
            "DestinationRule", "Sidecar");

    /**
     * request.kind comes from the body: tagged as written, every distinct value a client sent would add a timer with
     * its histogram to the registry, for ever. Known kinds keep their name; anything else is "other".
     */
    static String kindTag(String kind) {
        return KNOWN_KINDS.contains(kind) ? kind : "other";
    }

    void recordError(String type) {
        Counter.builder("meshguard.errors").tag("type", type).register(registry).increment();
    }
}
