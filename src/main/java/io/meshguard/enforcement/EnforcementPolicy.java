package io.meshguard.enforcement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which {@link Mode} applies to a finding, from the platform team's configuration: a cluster default, modes per
 * namespace pattern, per finding code, and per (namespace pattern, code).
 *
 * <p>Precedence, most specific first (the first rule that matches decides):
 * <ol>
 * <li>a rule naming both a namespace pattern and the finding's code;</li>
 * <li>a rule naming a namespace pattern;</li>
 * <li>a rule naming the finding's code;</li>
 * <li>the cluster default.</li>
 * </ol>
 * Within one level, an exact namespace name beats a glob, and of two globs the one with more literal characters
 * wins ({@code team-a*} before {@code team-*} before {@code *}); two globs with as many literal characters are taken
 * in alphabetical order of their text, so the outcome never depends on the order of the file's lines.
 * A namespace rule beats a code rule because rolling out goes namespace by namespace: "deny in team-a" is a decision
 * about that team and holds for every code, unless a (namespace, code) rule says otherwise.
 *
 * <p>The configuration text, one rule a line ({@link java.util.Properties} syntax; namespace names hold no dots):
 * <pre>
 * default = warn
 * namespace.team-* = audit
 * namespace.payments = deny
 * code.ProtocolFilterDrop = audit
 * namespace.team-a.code.ListenerCollision = deny
 * </pre>
 */
public final class EnforcementPolicy {

    /** One configured rule: a namespace glob (null: any namespace), a code (null: any code), the mode. */
    public record Rule(String namespacePattern, String code, Mode mode) {

        boolean matches(String namespace, String findingCode) {
            return (code == null || code.equals(findingCode))
                    && (namespacePattern == null || glob(namespacePattern).matcher(namespace == null ? "" : namespace)
                            .matches());
        }

        /** Characters in the pattern that are not wildcards: the more, the more specific. */
        int literals() {
            return namespacePattern == null ? -1 : namespacePattern.replace("*", "").replace("?", "").length();
        }

        boolean exact() {
            return namespacePattern != null && namespacePattern.indexOf('*') < 0 && namespacePattern.indexOf('?') < 0;
        }

        @Override
        public String toString() {
            String key = (namespacePattern == null ? "" : "namespace." + namespacePattern)
                    + (namespacePattern != null && code != null ? "." : "") + (code == null ? "" : "code." + code);
            return key + " = " + mode.word();
        }
    }

    private static final Map<String, Pattern> GLOBS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Pattern NAMESPACE_GLOB = Pattern.compile("[a-z0-9*?]([-a-z0-9*?]{0,62})");
    private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,99}");

    private final Mode defaultMode;
    /** In order of precedence. */
    private final List<Rule> rules;

    private EnforcementPolicy(Mode defaultMode, List<Rule> rules) {
        this.defaultMode = defaultMode;
        List<Rule> ordered = new ArrayList<>(rules);
        ordered.sort(Comparator.comparingInt(EnforcementPolicy::level)
                .thenComparing(r -> !r.exact())
                .thenComparing(Comparator.comparingInt(Rule::literals).reversed())
                .thenComparing(r -> r.namespacePattern() == null ? "" : r.namespacePattern())
                .thenComparing(r -> r.code() == null ? "" : r.code()));
        this.rules = List.copyOf(ordered);
    }

    public static EnforcementPolicy uniform(Mode mode) {
        return new EnforcementPolicy(mode, List.of());
    }

    public static EnforcementPolicy of(Mode defaultMode, List<Rule> rules) {
        return new EnforcementPolicy(defaultMode, rules);
    }

    /**
     * Reads the configuration text's keys and values (see the class comment).
     *
     * @param fallback the default when the text names none ({@code meshguard.enforcement.default})
     * @throws IllegalArgumentException naming the first bad key or value
     */
    public static EnforcementPolicy parse(Map<String, String> settings, Mode fallback) {
        Mode defaultMode = fallback;
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> setting : new java.util.TreeMap<>(settings).entrySet()) {
            String key = setting.getKey().trim();
            Mode mode = Mode.parse(setting.getValue(), "'" + key + "'");
            if (key.equals("default")) {
                defaultMode = mode;
            } else if (key.startsWith("code.")) {
                rules.add(new Rule(null, code(key.substring("code.".length()), key), mode));
            } else if (key.startsWith("namespace.")) {
                String rest = key.substring("namespace.".length());
                int codeAt = rest.indexOf(".code.");
                String namespace = codeAt < 0 ? rest : rest.substring(0, codeAt);
                String code = codeAt < 0 ? null : code(rest.substring(codeAt + ".code.".length()), key);
                if (!NAMESPACE_GLOB.matcher(namespace).matches()) {
                    throw new IllegalArgumentException("'" + key + "': '" + namespace
                            + "' is not a namespace name or a glob of one (lower-case letters, digits, '-', '*', '?')");
                }
                rules.add(new Rule(namespace, code, mode));
            } else {
                throw new IllegalArgumentException("'" + key
                        + "' is not a setting: use default, namespace.<pattern>, code.<Code> or namespace.<pattern>.code.<Code>");
            }
        }
        return new EnforcementPolicy(defaultMode, rules);
    }

    private static String code(String code, String key) {
        if (!CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("'" + key + "': '" + code + "' is not a finding code");
        }
        return code;
    }

    private static int level(Rule rule) {
        if (rule.namespacePattern() != null && rule.code() != null) {
            return 0;
        }
        return rule.namespacePattern() != null ? 1 : 2;
    }

    private static Pattern glob(String pattern) {
        return GLOBS.computeIfAbsent(pattern, p -> {
            StringBuilder regex = new StringBuilder();
            for (char c : p.toCharArray()) {
                regex.append(c == '*' ? "[-a-z0-9]*" : c == '?' ? "[-a-z0-9]" : Pattern.quote(String.valueOf(c)));
            }
            return Pattern.compile(regex.toString());
        });
    }

    /** The mode for a finding of {@code code} on an entry in {@code namespace}. */
    public Mode modeFor(String namespace, String code) {
        for (Rule rule : rules) {
            if (rule.matches(namespace, code)) {
                return rule.mode();
            }
        }
        return defaultMode;
    }

    /** The rule that decides, or null when the default does: for logs and for explaining a mode. */
    public Rule ruleFor(String namespace, String code) {
        for (Rule rule : rules) {
            if (rule.matches(namespace, code)) {
                return rule;
            }
        }
        return null;
    }

    public Mode defaultMode() {
        return defaultMode;
    }

    /** The rules in order of precedence. */
    public List<Rule> rules() {
        return rules;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnforcementPolicy p && p.defaultMode == defaultMode && p.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultMode, rules);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("default = ").append(defaultMode.word());
        rules.forEach(r -> text.append("; ").append(r));
        return text.toString();
    }
}
