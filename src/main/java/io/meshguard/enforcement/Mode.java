package io.meshguard.enforcement;

import java.util.Locale;

/** What meshguard does with a finding that would deny an entry. */
public enum Mode {
    /** Refuse the entry: the finding is returned as the denial. */
    DENY,
    /** Admit the entry and return the finding as an admission warning ({@code kubectl} prints it). */
    WARN,
    /** Admit the entry silently; the finding is only counted in metrics (and found again by the audit). */
    AUDIT;

    public static Mode parse(String text, String where) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "deny" -> DENY;
            case "warn" -> WARN;
            case "audit" -> AUDIT;
            default -> throw new IllegalArgumentException(
                    where + " must be deny, warn or audit, got '" + (text == null ? "" : text.trim()) + "'");
        };
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
