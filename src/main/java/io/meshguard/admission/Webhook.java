package io.meshguard.admission;

/**
 * One admission webhook endpoint: the body of an AdmissionReview in, the {@link Outcome} out. The pipeline
 * ({@link AdmissionPipeline}) is one; metrics ({@link MeasuredWebhook}), readiness ({@link ReadinessGate}) and
 * decision policies such as enforcement modes ({@link PolicyWebhook}) are decorators that wrap one. A webhook throws to refuse to answer: {@link BadReviewException} (400),
 * {@link NotReadyException} (503), anything else (500), so that the webhook's failurePolicy decides.
 */
@FunctionalInterface
public interface Webhook {

    Outcome review(byte[] body);
}
