package io.meshguard.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.validation.ServiceEntryValidation;
import java.util.List;

/**
 * The answer to one AdmissionReview, before it is written: the request it answers, the decision (allowed, denials
 * with their causes, warnings) and the JSON patch (empty for none). {@link AdmissionReviewCodec#write} turns it
 * into the response envelope; decorators may replace the decision ({@link #withDecision}).
 */
public record Outcome(AdmissionRequestView request, Decision decision, ArrayNode patch) {

    public Outcome {
        if (request == null || decision == null || patch == null) {
            throw new IllegalArgumentException("an outcome has a request, a decision and a patch (empty for none)");
        }
    }

    /** Allowed as it is: no finding, no patch. */
    public static Outcome allow(AdmissionRequestView request) {
        return of(request, Decision.ALLOW);
    }

    public static Outcome of(AdmissionRequestView request, Decision decision) {
        return new Outcome(request, decision, JsonNodeFactory.instance.arrayNode());
    }

    public boolean allowed() {
        return decision.allowed();
    }

    public List<Finding> denials() {
        return decision.denials();
    }

    public List<Finding> warnings() {
        return decision.warnings();
    }

    /** A patch is sent only when the object is allowed and something changes. */
    public boolean patched() {
        return allowed() && !patch.isEmpty();
    }

    /**
     * The status code of the answer's {@code status}: 200 when allowed; 400 (BadRequest) when the review's names
     * disagree ({@link ReviewIdentity}); 422 (Invalid) when every denial is a field error, an object meshguard could
     * not read or one istiod's own validation refuses (one cause per problem, each with its field); 403 (Forbidden)
     * when a rule about the cluster's other objects denied it.
     */
    public int code() {
        if (allowed()) {
            return 200;
        }
        if (denials().stream().anyMatch(d -> d.code().equals(ReviewIdentity.MISMATCH))) {
            return 400;
        }
        return denials().stream().allMatch(Outcome::invalid) ? 422 : 403;
    }

    private static boolean invalid(Finding denial) {
        return denial.code().equals(DenialCodes.MALFORMED_OBJECT)
                || ServiceEntryValidation.CODES.contains(denial.code());
    }

    /** The same answer with another decision; the patch is kept. */
    public Outcome withDecision(Decision replaced) {
        return new Outcome(request, replaced, patch);
    }
}
