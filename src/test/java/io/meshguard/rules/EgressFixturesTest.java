package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The egress rules of the validating webhook as a table: each file under {@code fixtures/egress} holds the
 * entry under review (and on UPDATE the stored one), optional egress settings and mesh config, and the
 * expected decision: each denial's rule and field, the warnings' rules, and fragments of the messages.
 * The decision comes from the whole standard review, so the egress rules are seen as the webhook runs them.
 */
class EgressFixturesTest {

    static Stream<Arguments> fixtures() {
        return Fixtures.in("egress");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decides_as_the_fixture_says(String file, JsonNode fixture) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> CollisionFixturesTest.REVIEW_TIME, 30_000);
        index.setMesh(MeshConfigReader.fromTree(fixture.path("mesh")));
        ServiceEntryFacts entry = ServiceEntryReader.read(fixture.required("review"), null,
                CollisionFixturesTest.REVIEW_TIME);
        ServiceEntryFacts previous = "UPDATE".equals(fixture.path("operation").asText("CREATE"))
                ? ServiceEntryReader.read(fixture.required("old"), null, CollisionFixturesTest.REVIEW_TIME) : null;
        ServiceEntryReview review = ServiceEntryReview.standard(settings(fixture.path("settings")));

        Decision decision = index.atomically(snapshot -> review.review(entry, previous, snapshot));

        JsonNode expect = fixture.required("expect");
        assertThat(decision.allowed()).as("allowed").isEqualTo(expect.required("allowed").asBoolean());
        List<String> expectedDenials = new ArrayList<>();
        expect.path("denials").forEach(d -> expectedDenials.add(d.required("code").asText() + " at "
                + d.required("field").asText()));
        assertThat(decision.denials().stream().map(d -> d.code() + " at " + d.field()).toList()).as("denials")
                .containsExactlyElementsOf(expectedDenials);
        assertThat(decision.warnings().stream().map(Finding::code).toList()).as("warnings")
                .isEqualTo(Fixtures.texts(expect.path("warnings")));
        for (String fragment : Fixtures.texts(expect.path("messageContains"))) {
            assertThat(decision.denials().stream().map(Finding::message).toList())
                    .as("a denial message contains '%s'", fragment)
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
        for (Finding denial : decision.denials()) {
            assertThat(denial.causes()).as("the denial's reason is in status.details")
                    .anySatisfy(c -> assertThat(c.reason()).isEqualTo(denial.code()));
        }
    }

    private static EgressSettings settings(JsonNode overrides) {
        EgressSettings egress = EgressSettings.DEFAULT;
        if (!overrides.has("servicePorts")) {
            return egress;
        }
        HashSet<Integer> ports = new HashSet<>();
        overrides.get("servicePorts").forEach(p -> ports.add(p.asInt()));
        return new EgressSettings(egress.defaultGateway(), egress.httpPort(), egress.tlsPort(), ports, egress.subset(),
                egress.clusterDomain());
    }
}
