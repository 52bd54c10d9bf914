package io.meshguard.server;

import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.DecisionPolicy;
import io.meshguard.enforcement.EnforcementMode;
import io.meshguard.enforcement.EnforcementSource;
import io.meshguard.enforcement.Mode;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The mode decorator around the validating review: {@link EnforcementMode} over the configured, reloadable
 * policy, and counters of what it turned into warnings or let through silently
 * ({@code meshguard_enforcement_findings_total{mode, rule}}).
 */
@ApplicationScoped
public class EnforcementDecorator implements DecisionPolicy {

    private static final Logger LOG = Logger.getLogger(EnforcementDecorator.class);

    @Inject
    MeshguardConfig config;

    @Inject
    MeterRegistry registry;

    private EnforcementSource source;
    private EnforcementMode mode;

    @PostConstruct
    void init() {
        MeshguardConfig.Enforcement settings = config.enforcement();
        Mode fallback = Mode.parse(settings.defaultMode(), "meshguard.enforcement.default");
        source = new EnforcementSource(settings.file().map(Path::of).orElse(null), fallback,
                settings.checkPeriod().toMillis(), System::currentTimeMillis,
                EnforcementSource.logging(LOG::info, LOG::error));
        mode = new EnforcementMode(source);
        if (settings.file().isEmpty()) {
            LOG.infof("enforcement: %s everywhere (meshguard.enforcement.default)", fallback.word());
        }
        for (Mode m : Mode.values()) {
            Gauge.builder("meshguard.enforcement.default", source, s -> s.get().defaultMode() == m ? 1 : 0)
                    .description("1 for the cluster-wide enforcement mode in force").tag("mode", m.word())
                    .register(registry);
        }
    }

    /**
     * The decision to answer for the object under review, by the mode of its namespace and of each finding's code.
     * The pipeline asks this several times per review (after each validator, before the index records the entry, and
     * on the answer); a finding is counted once per review all the same.
     */
    @Override
    public Decision apply(AdmissionRequestView request, Decision decision) {
        EnforcementMode.Enforced enforced = mode.apply(request.namespace(), decision);
        if (!enforced.warned().isEmpty() || !enforced.audited().isEmpty()) {
            Counted counted = COUNTED.get();
            if (counted.request != request) {
                counted.request = request;
                counted.findings.clear();
            }
            for (Finding f : enforced.warned()) {
                if (counted.findings.add(new CountedFinding("warn", f.identity(), f.field()))) {
                    count("warn", f);
                }
            }
            for (Finding f : enforced.audited()) {
                if (counted.findings.add(new CountedFinding("audit", f.identity(), f.field()))) {
                    count("audit", f);
                }
            }
        }
        return enforced.decision();
    }

    private record CountedFinding(String mode, Finding.Identity identity, String field) {
    }

    /** The review this worker thread counted last (by identity), and what it counted for it. */
    private static final class Counted {
        AdmissionRequestView request;
        final java.util.Set<CountedFinding> findings = new java.util.HashSet<>();
    }

    private static final ThreadLocal<Counted> COUNTED = ThreadLocal.withInitial(Counted::new);

    private void count(String how, Finding finding) {
        Counter.builder("meshguard.enforcement.findings")
                .description("Findings that did not deny because of the enforcement mode")
                .tag("mode", how).tag("rule", finding.code()).register(registry).increment();
    }
}
