package io.meshguard.admission;

import io.meshguard.rules.Decision;

/**
 * Rewrites the decision of an answered review, after the validators: for instance an enforcement mode that turns
 * denials into warnings in some namespaces. Wrap a webhook with {@link PolicyWebhook} to apply one.
 */
@FunctionalInterface
public interface DecisionPolicy {

    Decision apply(AdmissionRequestView request, Decision decision);
}
