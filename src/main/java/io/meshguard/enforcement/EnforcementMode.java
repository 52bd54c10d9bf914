package io.meshguard.enforcement;

import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The mode decorator's logic: maps the engine's decision on an entry in a namespace to the decision meshguard
 * answers. Each finding is handled by the mode {@link EnforcementPolicy} gives its (namespace, code):
 * <ul>
 * <li>{@code deny}: as the engine said (a denial stays a denial, a warning a warning);</li>
 * <li>{@code warn}: a denial becomes an admission warning that carries its summary, at most
 *     {@link #WARNING_LIMIT} characters and free of control characters;</li>
 * <li>{@code audit}: the finding leaves the answer (the entry is admitted silently) and is handed back as
 *     audited, for metrics.</li>
 * </ul>
 * The rules never see the mode: they decide what istiod will do, this decides what meshguard does about it.
 */
public final class EnforcementMode {

    /** The API server passes on warnings of at most this many characters. */
    public static final int WARNING_LIMIT = 256;
    /** The words a denial turned into a warning starts with. */
    public static final String WOULD_DENY = "would be denied: ";

    /** The decision to answer, and what the mode changed, for metrics. */
    public record Enforced(Decision decision, List<Finding> warned, List<Finding> audited) {
    }

    private final Supplier<EnforcementPolicy> policy;

    /** @param policy read on every call: a reloaded configuration takes effect on the next review */
    public EnforcementMode(Supplier<EnforcementPolicy> policy) {
        this.policy = policy;
    }

    public static EnforcementMode fixed(EnforcementPolicy policy) {
        return new EnforcementMode(() -> policy);
    }

    public Enforced apply(String namespace, Decision decision) {
        EnforcementPolicy current = policy.get();
        if (current.defaultMode() == Mode.DENY && current.rules().isEmpty()) {
            return new Enforced(decision, List.of(), List.of());
        }
        List<Finding> denials = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        List<Finding> warned = new ArrayList<>();
        List<Finding> audited = new ArrayList<>();
        for (Finding denial : decision.denials()) {
            switch (current.modeFor(namespace, denial.code())) {
                case DENY -> denials.add(denial);
                case WARN -> {
                    Finding warning = asWarning(denial);
                    warnings.add(warning);
                    warned.add(denial);
                }
                case AUDIT -> audited.add(denial);
            }
        }
        for (Finding warning : decision.warnings()) {
            if (current.modeFor(namespace, warning.code()) == Mode.AUDIT) {
                audited.add(warning);
            } else {
                warnings.add(warning);
            }
        }
        if (warned.isEmpty() && audited.isEmpty()) {
            return new Enforced(decision, List.of(), List.of());
        }
        // The denials turned warnings come first (the loop above added them first): they matter most.
        return new Enforced(Decision.of(denials, warnings), List.copyOf(warned), List.copyOf(audited));
    }

    /** A denial as a warning: "would be denied: " and its summary, clipped and cleaned for the API server. */
    static Finding asWarning(Finding denial) {
        Finding worded = denial.word();
        String summary = warningText(WOULD_DENY + worded.summary());
        return new Finding(worded.code(), Severity.WARN, worded.field(), WOULD_DENY + worded.message(), summary,
                worded.other(), worded.port(), worded.causes());
    }

    /**
     * At most {@link #WARNING_LIMIT} characters, control characters turned into spaces, never a surrogate pair cut
     * in half; a clipped text ends with "...".
     */
    public static String warningText(String text) {
        StringBuilder clean = new StringBuilder(Math.min(text.length(), WARNING_LIMIT + 1));
        for (int i = 0; i < text.length() && clean.length() <= WARNING_LIMIT; i++) {
            char c = text.charAt(i);
            clean.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (clean.length() <= WARNING_LIMIT) {
            return clean.toString();
        }
        int end = WARNING_LIMIT - 3;
        if (Character.isHighSurrogate(clean.charAt(end - 1))) {
            end--;
        }
        return clean.substring(0, end) + "...";
    }
}
