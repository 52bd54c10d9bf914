package io.meshguard.companions.controller;

import java.time.Duration;

/**
 * How long a failed reconcile waits before its retry: {@code first}, doubling after each further failure up
 * to {@code max}. An event about the entry brings the retry forward.
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first retry delay must be positive, got " + first);
        }
        if (max.compareTo(first) < 0) {
            throw new IllegalArgumentException("the longest retry delay (" + max
                    + ") must not be shorter than the first (" + first + ")");
        }
    }
}
