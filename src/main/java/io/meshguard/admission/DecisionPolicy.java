package io.meshguard.admission;

import io.meshguard.rules.Decision;

/**
 * Rewrites the decision of a review: for instance an enforcement mode that turns denials into warnings in some
 * namespaces. {@link PolicyWebhook} applies it to the answer. The pipeline and the validators with a side effect are
 * given the same policy, so that they act on what the answer will be: a route's validators go on past a denial the
 * policy lets through, and an entry the answer admits is recorded in the index. A policy is pure and applying it
 * twice changes nothing more.
 */
@FunctionalInterface
public interface DecisionPolicy {

    /** The decision as the validators made it. */
    DecisionPolicy AS_DECIDED = (request, decision) -> decision;

    Decision apply(AdmissionRequestView request, Decision decision);
}
