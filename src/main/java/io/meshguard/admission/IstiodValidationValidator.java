package io.meshguard.admission;

import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ServiceEntrySpecReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.AnalyzerSettings;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import io.meshguard.rules.validation.ConflictingProtocolAnalyzer;
import io.meshguard.rules.validation.ServiceEntryValidation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * istiod's per-object ServiceEntry validation as a step of the ServiceEntry route: the object as sent is read whole
 * ({@link ServiceEntrySpecReader}) and validated ({@link ServiceEntryValidation}); an error denies, a warning warns,
 * and IST0177 is looked up in the index. No side effect, so it goes before {@link ServiceEntryIndexValidator}: an
 * entry istiod refuses is never recorded.
 */
public final class IstiodValidationValidator implements Validator<ServiceEntryFacts> {

    private final ServiceEntryIndex index;
    private final Supplier<AnalyzerSettings> settings;

    public IstiodValidationValidator(ServiceEntryIndex index, Supplier<AnalyzerSettings> settings) {
        this.index = index;
        this.settings = settings;
    }

    /**
     * The validation over {@code index}, its analyzers reading the mesh config the index holds (as istioctl's read
     * the cluster's): the webhook and {@code meshguard check} both build it so.
     */
    public static IstiodValidationValidator over(ServiceEntryIndex index) {
        return new IstiodValidationValidator(index, () -> index.mesh().analyzers());
    }

    @Override
    public Decision create(AdmissionRequestView request, ServiceEntryFacts entry) {
        ServiceEntrySpec spec;
        try {
            spec = ServiceEntrySpecReader.read(request.object(), request.namespace());
        } catch (MalformedObjectException e) {
            String message = "meshguard cannot read this ServiceEntry: " + e.getMessage();
            return Decision.of(List.of(new Finding(DenialCodes.MALFORMED_OBJECT, Severity.DENY, "", message, message,
                    null, 0, List.of(new Cause(DenialCodes.MALFORMED_OBJECT, "", e.getMessage())))), List.of());
        }
        List<Finding> validation = ServiceEntryValidation.validate(spec, settings.get());
        if (ServiceEntryValidation.refuses(validation)) {
            return ServiceEntryValidation.refusal(validation);
        }
        List<Finding> warnings = new ArrayList<>(validation);
        warnings.addAll(index.atomically(snapshot -> ConflictingProtocolAnalyzer.check(entry, snapshot)));
        return Decision.of(List.of(), warnings);
    }
}
