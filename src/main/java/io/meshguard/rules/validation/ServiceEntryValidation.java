package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * istiod's per-object validation of a ServiceEntry ({@code ValidateServiceEntry} in
 * {@code pkg/config/validation/validation.go}, with {@code validateMetadata} before it), and istioctl's per-object
 * analyzer IST0134. Each error is a {@link Severity#DENY} finding, each warning a {@link Severity#WARN} one; each
 * names its field and carries one cause. Findings come in the order istiod finds them, and stop where istiod stops
 * (a reserved annotation, a bad selector label).
 *
 * <p>Pure: no I/O, no framework. Cross-object findings (IST0177) need the index: {@link ConflictingProtocolAnalyzer}.
 * An entry istiod {@link #refuses} is not reviewed further: the listener rules read only valid entries.
 */
public final class ServiceEntryValidation {

    /** The finding codes this validation uses; all of them are field errors in the API server's sense (422). */
    public static final Set<String> CODES = Set.of(ReservedAnnotations.CODE, WorkloadSelectorCheck.CODE,
            HostsCheck.CODE, AddressesCheck.CODE, PortsCheck.CODE, EndpointsCheck.CODE, DynamicDnsCheck.CODE,
            ExportToCheck.CODE, AddressesRequiredAnalyzer.CODE, ConflictingProtocolAnalyzer.CODE);

    private static final List<ValidationCheck> CHECKS = List.of(
            new WorkloadSelectorCheck(),
            new HostsCheck(),
            new AddressesCheck(),
            new PortsCheck(),
            new ResolutionCheck(),
            new LocationCheck(),
            new MultipleHostsCheck(),
            new ExportToCheck());

    private ServiceEntryValidation() {
    }

    /** With Istio's default mesh config (no DNS capture). */
    public static List<Finding> validate(ServiceEntrySpec entry) {
        return validate(entry, AnalyzerSettings.DEFAULT);
    }

    public static List<Finding> validate(ServiceEntrySpec entry, AnalyzerSettings settings) {
        Problems problems = new Problems();
        new ReservedAnnotations().check(entry, problems);
        if (problems.hasErrors()) {
            return problems.findings();
        }
        WorkloadSelectorCheck.labelErrors(entry, problems);
        if (problems.hasErrors()) {
            return problems.findings();
        }
        for (ValidationCheck check : CHECKS) {
            check.check(entry, problems);
        }
        AddressesRequiredAnalyzer.check(entry, settings, problems);
        return problems.findings();
    }

    /** istiod's own part only ({@code ValidateServiceEntry}): {@link #validate} without the analyzer. */
    public static List<Finding> istiod(ServiceEntrySpec entry) {
        return validate(entry, AnalyzerSettings.DEFAULT).stream()
                .filter(f -> !f.code().equals(AddressesRequiredAnalyzer.CODE)).toList();
    }

    /** Whether istiod refuses the entry: the validation found an error. */
    public static boolean refuses(List<Finding> validation) {
        return validation.stream().anyMatch(f -> f.severity() == Severity.DENY);
    }

    /** The decision on an entry istiod {@link #refuses}: its errors, and its warnings. */
    public static Decision refusal(List<Finding> validation) {
        List<Finding> errors = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (Finding finding : validation) {
            (finding.severity() == Severity.DENY ? errors : warnings).add(finding);
        }
        return Decision.of(errors, warnings);
    }
}
