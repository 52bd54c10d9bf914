package io.meshguard.rules.validation;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Host names as istiod checks them: DNS-1123 labels (at most 63 characters), a wildcard allowed in the first label
 * only, no all-numeric top-level domain, 255 characters at most (Istio's {@code labels.IsDNS1123Label},
 * {@code agent.ValidateFQDN}, {@code agent.ValidateWildcardDomain}). Each check returns istiod's message, or null.
 */
final class DnsNames {

    private static final String LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
    private static final Pattern WILDCARD_LABEL = Pattern.compile("\\*|(?:\\*|\\*-)?" + LABEL);
    private static final Pattern GO_INTEGER = Pattern.compile("[+-]?[0-9]+");
    private static final int LABEL_MAX = 63;
    private static final int NAME_MAX = 255;

    private DnsNames() {
    }

    static boolean isLabel(String value) {
        return value.length() <= LABEL_MAX && DNS1123_LABEL.matcher(value).matches();
    }

    static boolean isWildcardLabel(String value) {
        return value.length() <= LABEL_MAX && WILDCARD_LABEL.matcher(value).matches();
    }

    /** {@code agent.ValidateFQDN}: null when {@code name} is a valid fully-qualified name, else istiod's message. */
    static String fqdnProblem(String name) {
        String problem = preconditions(name);
        return problem != null ? problem : labelsProblem(name);
    }

    /** {@code agent.ValidateWildcardDomain}: like {@link #fqdnProblem}, and the first label may be a wildcard. */
    static String wildcardDomainProblem(String domain) {
        String problem = preconditions(domain);
        if (problem != null) {
            return problem;
        }
        int dot = domain.indexOf('.');
        String first = dot < 0 ? domain : domain.substring(0, dot);
        if (!isWildcardLabel(first)) {
            return "domain name " + quote(domain) + " invalid (label " + quote(first) + " invalid)";
        }
        return dot < 0 ? null : labelsProblem(domain.substring(dot + 1));
    }

    /** {@code agent.ValidatePartialWildCard}: a wildcard is only the whole host or its first label. */
    static String partialWildcardProblem(String host) {
        if (host.contains("*") && host.length() != 1 && !host.startsWith("*.")) {
            return "partial wildcard " + quote(host) + " not allowed";
        }
        return null;
    }

    private static String preconditions(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            return "domain name " + quote(name) + " too long (max 255)";
        }
        if (name.isEmpty()) {
            return "empty domain name not allowed";
        }
        return null;
    }

    /** {@code agent.ValidateDNS1123Labels}. */
    private static String labelsProblem(String domain) {
        String[] parts = domain.split("\\.", -1);
        String top = parts[parts.length - 1];
        if (isGoInt(top)) {
            return "domain name " + quote(domain) + " invalid (top level domain " + quote(top)
                    + " cannot be all-numeric)";
        }
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1 && parts[i].isEmpty()) {
                return null;
            }
            if (!isLabel(parts[i])) {
                return "domain name " + quote(domain) + " invalid (label " + quote(parts[i]) + " invalid)";
            }
        }
        return null;
    }

    /** Go's {@code strconv.Atoi} succeeds: an optional sign, digits, and a value that fits 64 bits. */
    private static boolean isGoInt(String s) {
        if (!GO_INTEGER.matcher(s).matches()) {
            return false;
        }
        try {
            Long.parseLong(s.startsWith("+") ? s.substring(1) : s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Go's {@code %q} for the printable ASCII that host names are made of. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
