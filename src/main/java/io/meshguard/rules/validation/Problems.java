package io.meshguard.rules.validation;

import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.List;

/**
 * What the checks of one object found, in the order istiod finds it. Each problem is one {@link Finding} with one
 * {@link Cause}, shaped like the API server's own field errors: the cause's reason is a Kubernetes cause type
 * ({@code FieldValueInvalid}, {@code FieldValueRequired}, ...), its field the path in the object.
 */
final class Problems {

    static final String INVALID = "FieldValueInvalid";
    static final String REQUIRED = "FieldValueRequired";
    static final String DUPLICATE = "FieldValueDuplicate";
    static final String NOT_SUPPORTED = "FieldValueNotSupported";
    static final String FORBIDDEN = "FieldValueForbidden";

    private static final int SUMMARY_MAX = 256;

    private final List<Finding> findings = new ArrayList<>();

    void error(String code, String reason, String field, String message) {
        add(code, Severity.DENY, reason, field, message);
    }

    void warning(String code, String field, String message) {
        add(code, Severity.WARN, INVALID, field, message);
    }

    private void add(String code, Severity severity, String reason, String field, String message) {
        String whole = field + ": " + message;
        String summary = whole.length() <= SUMMARY_MAX ? whole : whole.substring(0, SUMMARY_MAX - 3) + "...";
        findings.add(new Finding(code, severity, field, whole, summary, null, 0,
                List.of(new Cause(reason, field, message))));
    }

    boolean hasErrors() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.DENY);
    }

    List<Finding> findings() {
        return List.copyOf(findings);
    }
}
