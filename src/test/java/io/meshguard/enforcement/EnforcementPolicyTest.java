package io.meshguard.enforcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which mode applies, as a table: configuration text, namespace and finding code, the mode expected. */
class EnforcementPolicyTest {

    static final String LAYERED = """
            default = warn
            namespace.team-* = audit
            namespace.team-a* = deny
            namespace.payments = deny
            namespace.payments.code.SniffingListener = audit
            code.ProtocolFilterDrop = audit
            code.ListenerCollision = deny
            namespace.*.code.EgressResolution = warn
            """;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("nothing configured: the fallback", "", "ns1", "ListenerCollision", Mode.DENY),
                Arguments.of("the file's default beats the fallback", "default = audit", "ns1", "ListenerCollision",
                        Mode.AUDIT),
                Arguments.of("a code rule beats the default", LAYERED, "ns1", "ListenerCollision", Mode.DENY),
                Arguments.of("the default where no rule matches", LAYERED, "ns1", "TlsSameHost", Mode.WARN),
                Arguments.of("a glob matches", LAYERED, "team-b", "TlsSameHost", Mode.AUDIT),
                Arguments.of("a namespace rule beats a code rule", LAYERED, "team-b", "ListenerCollision", Mode.AUDIT),
                Arguments.of("the longer glob wins", LAYERED, "team-alpha", "TlsSameHost", Mode.DENY),
                Arguments.of("a glob matches the whole name, not a prefix", LAYERED, "my-team-b", "TlsSameHost",
                        Mode.WARN),
                Arguments.of("an exact namespace", LAYERED, "payments", "ProtocolFilterDrop", Mode.DENY),
                Arguments.of("namespace and code beat namespace alone", LAYERED, "payments", "SniffingListener",
                        Mode.AUDIT),
                Arguments.of("namespace glob and code beat an exact namespace", LAYERED, "payments",
                        "EgressResolution", Mode.WARN),
                Arguments.of("a code rule elsewhere", LAYERED, "ns9", "ProtocolFilterDrop", Mode.AUDIT),
                Arguments.of("? is one character", "namespace.team-? = audit", "team-x", "A", Mode.AUDIT),
                Arguments.of("? is exactly one character", "namespace.team-? = audit", "team-xy", "A", Mode.DENY),
                Arguments.of("modes ignore case and blanks", "default =  WARN ", "ns1", "A", Mode.WARN),
                Arguments.of("a cluster-scoped finding (no namespace) takes the default", "default = warn\n"
                        + "namespace.* = audit", null, "A", Mode.AUDIT));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_most_specific_rule_decides(String name, String text, String namespace, String code, Mode expected) {
        EnforcementPolicy policy = EnforcementSource.parse(text, Mode.DENY);
        assertThat(policy.modeFor(namespace, code)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_order_of_the_lines_does_not_matter(String name, String text, String namespace, String code,
            Mode expected) {
        java.util.List<String> lines = new java.util.ArrayList<>(text.lines().toList());
        java.util.Collections.reverse(lines);
        assertThat(EnforcementSource.parse(String.join("\n", lines), Mode.DENY).modeFor(namespace, code))
                .isEqualTo(expected);
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("default = block", "'default' must be deny, warn or audit, got 'block'"),
                Arguments.of("namespace.Team_A = deny", "'namespace.Team_A': 'Team_A' is not a namespace name"),
                Arguments.of("code.9x = deny", "'code.9x': '9x' is not a finding code"),
                Arguments.of("namespaces.team-a = deny", "'namespaces.team-a' is not a setting"),
                Arguments.of("namespace.team-a.code. = deny", "'' is not a finding code"),
                Arguments.of("code.ListenerCollision =", "must be deny, warn or audit, got ''"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void a_bad_line_is_named(String text, String message) {
        assertThatThrownBy(() -> EnforcementSource.parse(text, Mode.DENY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
