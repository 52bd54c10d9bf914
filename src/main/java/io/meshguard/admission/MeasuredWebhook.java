package io.meshguard.admission;

import java.util.function.LongSupplier;

/**
 * Measures every review of the webhook it wraps, those that fail included: an unreadable body (400), a review
 * before readiness (503) and an internal failure (500) reach the meter with their status, not only answers.
 */
public final class MeasuredWebhook implements Webhook {

    private final String name;
    private final ReviewMeter meter;
    private final Webhook inner;
    private final LongSupplier nanoClock;

    public MeasuredWebhook(String name, ReviewMeter meter, Webhook inner) {
        this(name, meter, inner, System::nanoTime);
    }

    MeasuredWebhook(String name, ReviewMeter meter, Webhook inner, LongSupplier nanoClock) {
        this.name = name;
        this.meter = meter;
        this.inner = inner;
        this.nanoClock = nanoClock;
    }

    @Override
    public Outcome review(byte[] body) {
        long started = nanoClock.getAsLong();
        Outcome outcome;
        try {
            outcome = inner.review(body);
        } catch (Throwable failure) {
            meter.failed(name, failure instanceof BadReviewException bad ? bad.request() : null, status(failure),
                    nanoClock.getAsLong() - started);
            throw failure;
        }
        meter.answered(name, outcome, nanoClock.getAsLong() - started);
        return outcome;
    }

    /** The status the error contract gives a failure. */
    static int status(Throwable failure) {
        if (failure instanceof BadReviewException) {
            return 400;
        }
        if (failure instanceof NotReadyException) {
            return 503;
        }
        return 500;
    }
}
