package io.meshguard.admission;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MalformedObjectException;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServiceEntryReader;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.Severity;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The validating webhook: dispatches a review by kind and operation, runs the ServiceEntry rules over an
 * index snapshot, and records what it allowed so that the next review sees it.
 */
public final class ValidatingAdmission {

    public static final String ISTIO_NETWORKING = "networking.istio.io";
    public static final String SERVICE_ENTRY = "ServiceEntry";
    public static final Set<String> SERVICE_ENTRY_VERSIONS = Set.of("v1", "v1beta1", "v1alpha3");

    /** What an allowed entry does to the index before the cluster confirms it. */
    public enum Learning {
        /** In a cluster: hold the entry for a TTL until the informer reports it. */
        RESERVE,
        /** Standalone: the reviews are the only source of truth; CREATE/UPDATE add, DELETE removes. */
        LEARN
    }

    private final ServiceEntryIndex index;
    private final ServiceEntryReview review;
    private final Learning learning;
    private final LongSupplier clock;
    private final BiFunction<String, Decision, Decision> mode;

    public ValidatingAdmission(ServiceEntryIndex index, ServiceEntryReview review, Learning learning,
            LongSupplier clock) {
        this(index, review, learning, clock, (namespace, decision) -> decision);
    }

    /**
     * @param mode the enforcement mode (namespace, engine's decision) to the answer; applied before the index learns
     *     or reserves, so that an entry a mode admits is known to the next review
     */
    public ValidatingAdmission(ServiceEntryIndex index, ServiceEntryReview review, Learning learning,
            LongSupplier clock, BiFunction<String, Decision, Decision> mode) {
        this.index = index;
        this.review = review;
        this.learning = learning;
        this.clock = clock;
        this.mode = mode;
    }

    public Decision validate(AdmissionRequestView request) {
        if (!request.isKind(ISTIO_NETWORKING, SERVICE_ENTRY)) {
            return Decision.ALLOW;
        }
        if (!SERVICE_ENTRY_VERSIONS.contains(request.version())) {
            return new Decision(true, List.of(), List.of(Finding.warning("UnknownVersion", "apiVersion",
                    "meshguard does not know ServiceEntry version " + request.version() + " and did not check it")));
        }
        return switch (request.operation()) {
            case CREATE, UPDATE -> createOrUpdate(request);
            case DELETE -> delete(request);
            case CONNECT -> Decision.ALLOW;
        };
    }

    private Decision createOrUpdate(AdmissionRequestView request) {
        if (request.object() == null) {
            throw new BadReviewException("request.object is missing on " + request.operation());
        }
        long now = clock.getAsLong();
        ServiceEntryFacts entry;
        ServiceEntryFacts previous;
        try {
            entry = ServiceEntryReader.read(request.object(), request.namespace(), now);
            previous = request.operation() == Operation.UPDATE && request.oldObject() != null
                    ? ServiceEntryReader.read(request.oldObject(), request.namespace(), now)
                    : null;
        } catch (MalformedObjectException e) {
            String message = "meshguard cannot read this ServiceEntry: " + e.getMessage();
            return mode.apply(request.namespace(), Decision.of(List.of(new Finding(DenialCodes.MALFORMED_OBJECT,
                    Severity.DENY, "", message, message, null, 0,
                    List.of(new Cause(DenialCodes.MALFORMED_OBJECT, "", e.getMessage())))), List.of()));
        }
        return index.atomically(snapshot -> {
            Decision decision = mode.apply(entry.namespace(), review.review(entry, previous, snapshot));
            if (decision.allowed() && !request.dryRun()) {
                if (learning == Learning.LEARN) {
                    index.confirm(entry);
                } else {
                    index.reserve(entry);
                }
            }
            return decision;
        });
    }

    private Decision delete(AdmissionRequestView request) {
        if (learning == Learning.LEARN && !request.dryRun() && request.name() != null
                && request.namespace() != null) {
            index.remove(new EntryKey(request.namespace(), request.name()));
        }
        return Decision.ALLOW;
    }
}
