package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ObjectLimits;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything meshguard does for one kind: the checks every review of it needs (version, operation, an object
 * where one is required) and the read into its view {@code T}, done once, then its validators or mutators.
 *
 * <p>Validators run in the order they were added, until one denies: the denials and warnings gathered so far are
 * the decision. A validator with a side effect (one that records the object in the index) is added last, so that
 * nothing is recorded for an object another validator denies. Under a {@link DecisionPolicy} that lets a denial
 * through (an enforcement mode that only warns), the validators go on, as the object will be admitted.
 *
 * <p>The object under review is the one the request names ({@link ReviewIdentity}): a review whose object or
 * {@code oldObject} names another is denied (status code 400) by the validating webhook and left unchanged by the
 * mutating one, never judged as if its parts belonged together.
 */
public final class KindRoute<T> {

    /** Reads the object of a review into its view; throws {@link MalformedObjectException} naming the field. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JsonNode object, AdmissionRequestView request);
    }

    public static final String UNKNOWN_VERSION = "UnknownVersion";

    private final String group;
    private final String kind;
    private final Set<String> versions;
    private final Reader<T> reader;
    private final List<Validator<T>> validators;
    private final List<Mutator<T>> mutators;

    private KindRoute(Builder<T> builder) {
        this.group = builder.group;
        this.kind = builder.kind;
        this.versions = Set.copyOf(builder.versions);
        this.reader = builder.reader;
        this.validators = List.copyOf(builder.validators);
        this.mutators = List.copyOf(builder.mutators);
    }

    /** A route for {@code group/kind} in {@code versions}, whose objects {@code reader} reads. */
    public static <T> Builder<T> of(String group, String kind, Set<String> versions, Reader<T> reader) {
        return new Builder<>(group, kind, versions, reader);
    }

    public String group() {
        return group;
    }

    public String kind() {
        return kind;
    }

    boolean hasValidators() {
        return !validators.isEmpty();
    }

    boolean hasMutators() {
        return !mutators.isEmpty();
    }

    /** The validating webhook's answer for a review of this kind, its validators stopping at the first denial. */
    public Outcome validate(AdmissionRequestView request) {
        return validate(request, DecisionPolicy.AS_DECIDED);
    }

    /**
     * The validating webhook's answer, its validators stopping at the first denial that {@code policy} lets stand.
     * The decision is the validators' own; {@link PolicyWebhook} applies the policy to it.
     */
    public Outcome validate(AdmissionRequestView request, DecisionPolicy policy) {
        if (validators.isEmpty()) {
            return Outcome.allow(request);
        }
        if (!versions.contains(request.version())) {
            return Outcome.of(request, new Decision(true, List.of(), List.of(Finding.warning(UNKNOWN_VERSION,
                    "apiVersion", "meshguard does not know " + kind + " version " + request.version()
                            + " and did not check it"))));
        }
        return switch (request.operation()) {
            case CONNECT -> Outcome.allow(request);
            case DELETE -> Outcome.of(request, validate(request, policy, v -> v.delete(request, readOld(request))));
            case CREATE, UPDATE -> {
                JsonNode raw = requireObject(request);
                if (ReviewTreeReader.oversized(raw) || ReviewTreeReader.oversized(request.oldObject())) {
                    yield Outcome.of(request, oversized());
                }
                T object;
                T old;
                try {
                    object = reader.read(raw, request);
                    old = request.operation() == Operation.UPDATE && request.oldObject() != null
                            ? reader.read(request.oldObject(), request) : null;
                } catch (MalformedObjectException e) {
                    yield Outcome.of(request, malformed(e));
                }
                String mismatch = ReviewIdentity.mismatch(request);
                if (mismatch != null) {
                    yield Outcome.of(request, ReviewIdentity.denial(kind, mismatch));
                }
                yield Outcome.of(request, validate(request, policy, request.operation() == Operation.CREATE
                        ? v -> v.create(request, object) : v -> v.update(request, old, object)));
            }
        };
    }

    /** The mutating webhook's answer: the patch that turns the object as sent into what the mutators made of it. */
    public Outcome mutate(AdmissionRequestView request) {
        if (mutators.isEmpty() || !versions.contains(request.version())
                || (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE)) {
            return Outcome.allow(request);
        }
        JsonNode raw = requireObject(request);
        T object;
        try {
            object = reader.read(raw, request);
        } catch (MalformedObjectException e) {
            // The validating webhook denies it and says why; a change to an unreadable object would be a guess.
            return Outcome.allow(request);
        }
        if (!(raw instanceof ObjectNode sent) || ReviewTreeReader.oversized(request.oldObject())
                || ReviewIdentity.mismatch(request) != null) {
            // Names that disagree: the validating webhook denies it; a plan for either name would be a guess.
            return Outcome.allow(request);
        }
        ObjectNode draft = sent.deepCopy();
        List<Finding> warnings = new ArrayList<>();
        for (Mutator<T> mutator : mutators) {
            warnings.addAll(mutator.mutate(request, object, draft));
        }
        return new Outcome(request, Decision.of(List.of(), warnings), JsonPatchDiff.diff(sent, draft));
    }

    private interface Call<T> {
        Decision on(Validator<T> validator);
    }

    private Decision validate(AdmissionRequestView request, DecisionPolicy policy, Call<T> call) {
        List<Finding> denials = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (Validator<T> validator : validators) {
            Decision decision = call.on(validator);
            denials.addAll(decision.denials());
            warnings.addAll(decision.warnings());
            if (!policy.apply(request, Decision.of(denials, warnings)).allowed()) {
                break;
            }
        }
        return Decision.of(denials, warnings);
    }

    /** The stored object of a DELETE, or null: what is being removed is not judged, so an odd one is no reason to fail. */
    private T readOld(AdmissionRequestView request) {
        if (request.oldObject() == null) {
            return null;
        }
        try {
            return reader.read(request.oldObject(), request);
        } catch (MalformedObjectException e) {
            return null;
        }
    }

    private static JsonNode requireObject(AdmissionRequestView request) {
        if (request.object() == null) {
            throw new BadReviewException("request.object is missing on " + request.operation(), request);
        }
        return request.object();
    }

    /** An object (or old object) too large for the review to keep: denied, never judged as something smaller. */
    private Decision oversized() {
        String message = "meshguard does not review this " + kind + ": the object under review holds more than "
                + ReviewTreeReader.OBJECT_VALUES + " values (fields, list items), far past what a " + kind
                + " meshguard can review may hold. Split it.";
        return Decision.of(List.of(new Finding(ObjectLimits.CODE, Severity.DENY, "", message, message, null, 0,
                List.of(new Cause(ObjectLimits.CODE, "", message)))), List.of());
    }

    private Decision malformed(MalformedObjectException e) {
        String message = "meshguard cannot read this " + kind + ": " + e.getMessage();
        return Decision.of(List.of(new Finding(DenialCodes.MALFORMED_OBJECT, Severity.DENY, "", message, message,
                null, 0, List.of(new Cause(DenialCodes.MALFORMED_OBJECT, "", e.getMessage())))), List.of());
    }

    public static final class Builder<T> {
        private final String group;
        private final String kind;
        private final Set<String> versions;
        private final Reader<T> reader;
        private final List<Validator<T>> validators = new ArrayList<>();
        private final List<Mutator<T>> mutators = new ArrayList<>();

        private Builder(String group, String kind, Set<String> versions, Reader<T> reader) {
            this.group = group;
            this.kind = kind;
            this.versions = versions;
            this.reader = reader;
        }

        /** Runs after those added before it, and only if they allowed the object. */
        public Builder<T> validator(Validator<T> validator) {
            validators.add(validator);
            return this;
        }

        public Builder<T> mutator(Mutator<T> mutator) {
            mutators.add(mutator);
            return this;
        }

        public KindRoute<T> build() {
            return new KindRoute<>(this);
        }
    }
}
