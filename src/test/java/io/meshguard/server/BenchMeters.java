package io.meshguard.server;

import io.meshguard.admission.ReviewMeter;
import io.meshguard.index.ServiceEntryIndex;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The server's review meter outside CDI, on a Prometheus registry as in production, for benchmarks. */
public final class BenchMeters {

    private BenchMeters() {
    }

    public static ReviewMeter prometheus(ServiceEntryIndex index) {
        AdmissionMetrics metrics = new AdmissionMetrics();
        metrics.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        metrics.index = index;
        metrics.registerGauges();
        return metrics;
    }
}
