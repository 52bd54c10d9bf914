package io.meshguard.rules;

import java.util.List;

/** The outcome of reviewing one object: allowed unless a rule denies it; warnings either way. */
public record Decision(boolean allowed, List<Finding> denials, List<Finding> warnings) {

    public static final Decision ALLOW = new Decision(true, List.of(), List.of());

    public Decision {
        denials = List.copyOf(denials);
        warnings = List.copyOf(warnings);
        if (allowed != denials.isEmpty()) {
            throw new IllegalArgumentException("a decision is allowed exactly when nothing denies it");
        }
    }

    public static Decision of(List<Finding> denials, List<Finding> warnings) {
        return new Decision(denials.isEmpty(), denials, warnings);
    }
}
