package io.meshguard.rules.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label keys and values as istiod checks them ({@code labels.Instance.Validate}): a key is an optional DNS prefix
 * and a slash, then a qualified name of at most 63 characters; a value is empty or a qualified name.
 */
final class LabelSyntax {

    private static final String LABEL = "[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?";
    private static final String QUALIFIED_NAME = "(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern KEY = Pattern.compile("(" + LABEL + "(?:\\." + LABEL + ")*/)?(" + QUALIFIED_NAME + ")");
    private static final Pattern VALUE = Pattern.compile("(" + QUALIFIED_NAME + ")?");
    private static final int PREFIX_MAX = 253;
    private static final int NAME_MAX = 63;

    private LabelSyntax() {
    }

    /** One problem per bad key or value, as (label key, istiod's message). */
    static List<Map.Entry<String, String>> problems(Map<String, String> labels) {
        List<Map.Entry<String, String>> problems = new ArrayList<>();
        labels.forEach((key, value) -> {
            String keyProblem = keyProblem(key);
            if (keyProblem != null) {
                problems.add(Map.entry(key, keyProblem));
            }
            if (!VALUE.matcher(value).matches()) {
                problems.add(Map.entry(key, "invalid tag value: " + DnsNames.quote(value)));
            }
        });
        return problems;
    }

    private static String keyProblem(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return "invalid tag key: " + DnsNames.quote(key);
        }
        if (m.group(1) != null && m.group(1).length() - 1 > PREFIX_MAX) {
            return "invalid tag key: " + DnsNames.quote(key) + " (DNS prefix is too long)";
        }
        if (m.group(2).length() > NAME_MAX) {
            return "invalid tag key: " + DnsNames.quote(key) + " (name is too long)";
        }
        return null;
    }
}
