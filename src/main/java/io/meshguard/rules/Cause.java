package io.meshguard.rules;

/** One machine-readable fact of a finding, shaped like a Kubernetes {@code StatusCause}. */
public record Cause(String reason, String field, String message) {
}
