package io.meshguard.rules.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Gateway and VirtualService rules as a table: each file under {@code fixtures/gateway} holds the objects
 * already in the cluster ({@code existing}, Gateways and VirtualServices), the object under review, the
 * operation, the expected decision (allowed or not; each denial's code, other Gateway and keeper; the warnings'
 * codes) and the Istio test or function the case comes from ({@code source}).
 */
class GatewayFixturesTest {

    static final long REVIEW_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static Stream<Arguments> fixtures() {
        return Fixtures.in("gateway");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decides_as_the_fixture_says(String file, JsonNode fixture) {
        assertThat(fixture.path("source").asText("")).as("the fixture names its source").isNotBlank();
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
        assertThat(decision.warnings()).as("warnings short enough for the API server not to truncate them")
                .allSatisfy(w -> assertThat(w.summary()).hasSizeLessThanOrEqualTo(256));
        assertThat(decision.denials()).as("every denial says how to fix it")
                .allSatisfy(d -> assertThat(d.causes()).anySatisfy(c -> assertThat(c.reason()).isEqualTo("Fix")));
        for (String fragment : Fixtures.texts(expect.path("warningContains"))) {
            assertThat(decision.warnings().stream().map(Finding::message).toList())
                    .as("a warning contains '%s'", fragment)
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
    }

    static Decision decide(JsonNode fixture) {
        GatewayIndex index = new GatewayIndex(() -> REVIEW_TIME, 30_000);
        for (JsonNode existing : fixture.path("existing")) {
            switch (existing.required("kind").asText()) {
                case "Gateway" -> index.confirm(GatewayReader.read(existing, null, REVIEW_TIME));
                case "VirtualService" -> index.putVirtualService(
                        VirtualServiceBindingReader.read(existing, null, REVIEW_TIME));
                default -> throw new IllegalArgumentException("unknown kind in fixture: " + existing.get("kind"));
            }
        }
        JsonNode review = fixture.required("review");
        String operation = fixture.path("operation").asText("CREATE");
        String kind = review.required("kind").asText();
        if (kind.equals("Gateway")) {
            GatewayReview rules = GatewayReview.standard();
            if (operation.equals("DELETE")) {
                JsonNode metadata = review.required("metadata");
                EntryKey key = new EntryKey(metadata.required("namespace").asText(), metadata.required("name").asText());
                return index.atomically(snapshot -> rules.reviewDelete(key, snapshot));
            }
            GatewayView gateway = GatewayReader.read(review, null, REVIEW_TIME);
            GatewayView previous = operation.equals("UPDATE")
                    ? GatewayReader.read(fixture.required("old"), null, REVIEW_TIME) : null;
            return index.atomically(snapshot -> rules.review(gateway, previous, snapshot));
        }
        if (kind.equals("VirtualService")) {
            return index.atomically(snapshot -> new VirtualServiceReview()
                    .review(VirtualServiceBindingReader.read(review, null, REVIEW_TIME), snapshot));
        }
        throw new IllegalArgumentException("unknown kind under review: " + kind);
    }

    /** A denial as "code other keeper", the keeper as the Keeper cause says it. */
    static List<String> summaries(List<Finding> denials) {
        return denials.stream().map(d -> d.code() + " " + d.other() + " " + d.causes().stream()
                .filter(c -> c.reason().equals("Keeper")).map(Cause::message).findFirst().orElse("")).toList();
    }

    static List<String> expectedDenials(JsonNode denials) {
        List<String> expected = new ArrayList<>();
        for (JsonNode denial : denials) {
            expected.add(denial.required("code").asText() + " " + denial.required("other").asText() + " "
                    + denial.required("keeper").asText());
        }
        return expected;
    }
}
