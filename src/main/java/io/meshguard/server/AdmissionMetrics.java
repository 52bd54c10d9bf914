package io.meshguard.server;

import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;

/** Review latency, decisions, denials by rule, warnings, errors and index size, for Prometheus. */
@ApplicationScoped
public class AdmissionMetrics {

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

    void recordReview(String webhook, AdmissionRequestView request, Decision decision, long nanos) {
        String decisionTag = decision.allowed() ? (decision.warnings().isEmpty() ? "allowed" : "warned") : "denied";
        Timer.builder("meshguard.review")
                .description("Time to answer one AdmissionReview")
                .tag("webhook", webhook)
                .tag("operation", request.operation().name())
                .tag("kind", kindTag(request.kind()))
                .tag("decision", decisionTag)
                .publishPercentileHistogram()
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
        for (Finding denial : decision.denials()) {
            Counter.builder("meshguard.denials").tag("rule", denial.code()).register(registry).increment();
        }
        for (Finding warning : decision.warnings()) {
            Counter.builder("meshguard.warnings").tag("rule", warning.code()).register(registry).increment();
        }
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
