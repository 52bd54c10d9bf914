package io.meshguard.rules;

public enum Severity {
    /** The entry is refused. */
    DENY,
    /** The entry is admitted and the user is told, through {@code response.warnings}. */
    WARN
}
