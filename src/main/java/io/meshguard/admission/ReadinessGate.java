package io.meshguard.admission;

import java.util.function.BooleanSupplier;

/**
 * Refuses to judge (503, so the webhook's failurePolicy decides) until {@code ready} holds: before the index has
 * listed the cluster, an allow could let a collision through.
 */
public final class ReadinessGate implements Webhook {

    private final BooleanSupplier ready;
    private final String notReady;
    private final Webhook inner;

    /** @param notReady what the 503 says */
    public ReadinessGate(BooleanSupplier ready, String notReady, Webhook inner) {
        this.ready = ready;
        this.notReady = notReady;
        this.inner = inner;
    }

    @Override
    public Outcome review(byte[] body) {
        if (!ready.getAsBoolean()) {
            throw new NotReadyException(notReady);
        }
        return inner.review(body);
    }
}
