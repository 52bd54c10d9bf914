package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener-collision rule as a table: each file under {@code fixtures/collision} holds the entries
 * already in the cluster, the mesh config, the entry under review, the operation and the expected
 * decision (allowed or not, each denial's rule, other entry and winners, and the warnings' rules).
 */
class CollisionFixturesTest {

    static final long REVIEW_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static Stream<Arguments> fixtures() {
        return Fixtures.in("collision");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decides_as_the_fixture_says(String file, JsonNode fixture) {
        check(fixture);
    }

    /** Asserts what a fixture's {@code expect} says of the decision on its review. */
    static void check(JsonNode fixture) {
        Decision decision = decide(fixture);
        JsonNode expect = fixture.required("expect");

        assertThat(decision.allowed()).as("allowed").isEqualTo(expect.required("allowed").asBoolean());
        assertThat(summaries(decision.denials())).as("denials")
                .containsExactlyInAnyOrderElementsOf(expectedDenials(expect.path("denials")));
        assertThat(decision.warnings().stream().map(Finding::code).sorted().toList()).as("warnings")
                .isEqualTo(Fixtures.texts(expect.path("warnings")).stream().sorted().toList());
        for (String fragment : Fixtures.texts(expect.path("messageContains"))) {
            assertThat(decision.denials().stream().map(Finding::message).toList())
                    .as("a denial message contains '%s'", fragment)
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
        for (String fragment : Fixtures.texts(expect.path("messageLacks"))) {
            assertThat(decision.denials().stream().map(Finding::message).toList())
                    .as("no denial message contains '%s'", fragment)
                    .noneSatisfy(m -> assertThat(m).contains(fragment));
        }
        assertThat(decision.warnings()).as("warnings short enough for the API server not to truncate them")
                .allSatisfy(w -> assertThat(w.summary()).hasSizeLessThanOrEqualTo(256)
                        .doesNotContainPattern("[\\p{Cntrl}]"));
        for (String fragment : Fixtures.texts(expect.path("warningContains"))) {
            assertThat(decision.warnings().stream().map(Finding::summary).toList())
                    .as("a warning contains '%s'", fragment)
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
    }

    static Decision decide(JsonNode fixture) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> REVIEW_TIME, 30_000);
        index.setMesh(MeshConfigReader.fromTree(fixture.path("mesh")));
        for (JsonNode existing : fixture.path("existing")) {
            index.confirm(ServiceEntryReader.readStored(existing, null, REVIEW_TIME));
        }
        ServiceEntryFacts entry = ServiceEntryReader.read(fixture.required("review"), null, REVIEW_TIME);
        boolean update = "UPDATE".equals(fixture.path("operation").asText("CREATE"));
        ServiceEntryFacts previous = update
                ? ServiceEntryReader.read(fixture.required("old"), null, REVIEW_TIME) : null;
        return index.atomically(snapshot -> ServiceEntryReview.standard().review(entry, previous, snapshot));
    }

    /** A denial as "code other [winners]", the winners as the Winner causes say them. */
    static List<String> summaries(List<Finding> denials) {
        return denials.stream().map(d -> d.code() + " " + d.other() + " " + d.causes().stream()
                .filter(c -> c.reason().equals("Winner")).map(Cause::message).toList()).toList();
    }

    static List<String> expectedDenials(JsonNode denials) {
        List<String> expected = new ArrayList<>();
        for (JsonNode denial : denials) {
            expected.add(denial.required("code").asText() + " " + denial.required("other").asText() + " "
                    + Fixtures.texts(denial.path("winners")));
        }
        return expected;
    }
}
