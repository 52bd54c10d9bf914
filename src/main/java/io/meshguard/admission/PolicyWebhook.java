package io.meshguard.admission;

/** Applies a {@link DecisionPolicy} to every answer of the webhook it wraps; failures pass through untouched. */
public final class PolicyWebhook implements Webhook {

    private final DecisionPolicy policy;
    private final Webhook inner;

    public PolicyWebhook(DecisionPolicy policy, Webhook inner) {
        this.policy = policy;
        this.inner = inner;
    }

    @Override
    public Outcome review(byte[] body) {
        Outcome outcome = inner.review(body);
        return outcome.withDecision(policy.apply(outcome.request(), outcome.decision()));
    }
}
