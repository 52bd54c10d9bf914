package io.meshguard.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.Severity;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every listener-collision fixture (fixtures/collision) run under each mode: the engine's decision is the
 * fixture's, and the mode decides what is answered. deny: the engine's decision unchanged; warn: allowed, each
 * denial carried by a warning the API server passes on whole; audit: allowed with nothing to read, and every
 * finding handed back as audited.
 */
class EnforcementModeFixturesTest {

    static final long REVIEW_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static Stream<Arguments> cases() {
        return Fixtures.in("collision").flatMap(f -> Stream.of(Mode.values())
                .map(m -> Arguments.of(f.get()[0], m, f.get()[1])));
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("cases")
    void the_mode_decides_what_is_answered(String file, Mode mode, JsonNode fixture) {
        Decision engine = decide(fixture);
        assertThat(engine.allowed()).as("the engine decides as the fixture says")
                .isEqualTo(fixture.required("expect").required("allowed").asBoolean());
        String namespace = fixture.required("review").required("metadata").required("namespace").asText();

        EnforcementMode.Enforced enforced = EnforcementMode.fixed(EnforcementPolicy.uniform(mode))
                .apply(namespace, engine);
        Decision answer = enforced.decision();

        switch (mode) {
            case DENY -> {
                assertThat(answer).isEqualTo(engine);
                assertThat(enforced.warned()).isEmpty();
                assertThat(enforced.audited()).isEmpty();
            }
            case WARN -> {
                assertThat(answer.allowed()).isTrue();
                assertThat(answer.denials()).isEmpty();
                assertThat(enforced.warned()).isEqualTo(engine.denials());
                assertThat(answer.warnings()).hasSize(engine.denials().size() + engine.warnings().size());
                for (int i = 0; i < engine.denials().size(); i++) {
                    Finding denial = engine.denials().get(i);
                    Finding warning = answer.warnings().get(i);
                    assertThat(warning.code()).isEqualTo(denial.code());
                    assertThat(warning.severity()).isEqualTo(Severity.WARN);
                    assertThat(warning.summary()).startsWith(EnforcementMode.WOULD_DENY)
                            .hasSizeLessThanOrEqualTo(EnforcementMode.WARNING_LIMIT)
                            .doesNotContainPattern("\\p{Cntrl}");
                    String carried = EnforcementMode.WOULD_DENY + denial.summary();
                    assertThat(carried.startsWith(warning.summary().replaceAll("\\.\\.\\.$", "")))
                            .as("the warning carries the denial's summary: %s", warning.summary()).isTrue();
                }
                assertThat(answer.warnings().subList(engine.denials().size(), answer.warnings().size()))
                        .isEqualTo(engine.warnings());
            }
            case AUDIT -> {
                assertThat(answer.allowed()).isTrue();
                assertThat(answer.denials()).isEmpty();
                assertThat(answer.warnings()).isEmpty();
                assertThat(enforced.audited()).containsExactlyElementsOf(
                        Stream.concat(engine.denials().stream(), engine.warnings().stream()).toList());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.meshguard.enforcement.EnforcementModeFixturesTest#denied")
    void a_code_rule_changes_only_its_code(String file, JsonNode fixture) {
        Decision engine = decide(fixture);
        String code = engine.denials().get(0).code();
        EnforcementPolicy policy = EnforcementPolicy.of(Mode.DENY,
                List.of(new EnforcementPolicy.Rule(null, code, Mode.WARN)));
        Decision answer = EnforcementMode.fixed(policy).apply("any", engine).decision();
        assertThat(answer.denials()).allSatisfy(d -> assertThat(d.code()).isNotEqualTo(code));
        assertThat(answer.denials()).hasSize((int) engine.denials().stream().filter(d -> !d.code().equals(code)).count());
        assertThat(answer.warnings()).filteredOn(w -> w.code().equals(code))
                .hasSize((int) engine.denials().stream().filter(d -> d.code().equals(code)).count()
                        + (int) engine.warnings().stream().filter(d -> d.code().equals(code)).count());
    }

    static Stream<Arguments> denied() {
        return Fixtures.in("collision").filter(a -> !decide((JsonNode) a.get()[1]).allowed());
    }

    @org.junit.jupiter.api.Test
    void a_warning_is_clipped_to_256_characters_without_control_characters_or_a_split_pair() {
        String text = "line one\nline\ttwo\u0007" + "x".repeat(230) + "\uD83D\uDE00" + "tail".repeat(20);
        String clipped = EnforcementMode.warningText(text);
        assertThat(clipped).hasSize(256).endsWith("...").doesNotContainPattern("\\p{Cntrl}")
                .startsWith("line one line two ");
        String pairAtTheCut = "y".repeat(252) + "\uD83D\uDE00" + "z".repeat(10);
        assertThat(EnforcementMode.warningText(pairAtTheCut)).isEqualTo("y".repeat(252) + "...");
        assertThat(EnforcementMode.warningText("short")).isEqualTo("short");
    }

    static Decision decide(JsonNode fixture) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> REVIEW_TIME, 30_000);
        index.setMesh(MeshConfigReader.fromTree(fixture.path("mesh")));
        for (JsonNode existing : fixture.path("existing")) {
            index.confirm(ServiceEntryReader.read(existing, null, REVIEW_TIME));
        }
        ServiceEntryFacts entry = ServiceEntryReader.read(fixture.required("review"), null, REVIEW_TIME);
        ServiceEntryFacts previous = "UPDATE".equals(fixture.path("operation").asText("CREATE"))
                ? ServiceEntryReader.read(fixture.required("old"), null, REVIEW_TIME) : null;
        return index.atomically(snapshot -> ServiceEntryReview.standard().review(entry, previous, snapshot));
    }
}
