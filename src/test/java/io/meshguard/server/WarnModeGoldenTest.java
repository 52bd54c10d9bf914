package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code meshguard.enforcement.default=warn}, over HTTPS: the seed 001 pair is allowed, and the second answer carries
 * the denial's summary as a warning (what {@code kubectl} prints). The allowed entry is learnt like any other.
 */
@QuarkusTest
@TestProfile(WarnModeGoldenTest.Warn.class)
class WarnModeGoldenTest {

    public static class Warn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshguard.enforcement.default", "warn");
        }
    }

    @Test
    void seed_001_both_allowed_and_the_second_answer_warns_with_the_denial() {
        GoldenSequence.assertGolden(List.of("seed001-hwcloud-create", "seed001-github-create"), "warn");
        // Both were learnt: the audit of the learnt index finds the collision that warn mode let in.
        Https.given().queryParam("namespace", "ns1").get("/audit").then().statusCode(200)
                .body("findings", hasSize(1))
                .body("findings[0].entry", equalTo("ns1/github"))
                .body("findings[0].keptBy[0].entry", equalTo("ns2/hwcloud"));
    }

    @Test
    void an_entry_allowed_by_warn_mode_is_learnt_and_the_next_collision_is_warned_too() {
        // Each is a TCP entry without addresses, so istioctl's IST0134 warns on every one; only the collision varies.
        Https.review(Reviews.tcpEntry("w-1", "warn-a", "one", 34000)).post("/validate").then()
                .body("response.allowed", equalTo(true)).body("response.warnings", hasSize(1))
                .body("response.warnings[0]", startsWith("spec.ports[0]: IST0134 "));
        Https.review(Reviews.tcpEntry("w-2", "warn-b", "two", 34000)).post("/validate").then()
                .body("response.allowed", equalTo(true)).body("response.warnings", hasSize(2))
                .body("response.warnings[0]", startsWith("would be denied: port 34000/TCP collides with warn-a/one"))
                .body("response.warnings[1]", startsWith("spec.ports[0]: IST0134 "));
        Https.review(Reviews.tcpEntry("w-3", "warn-c", "three", 34000)).post("/validate").then()
                .body("response.allowed", equalTo(true))
                .body("response.status", equalTo(null))
                .body("response.warnings[0]", startsWith("would be denied: port 34000/TCP collides with warn-"));
        assertThat(GoldenSequence.metric("meshguard_enforcement_findings_total{mode=\"warn\",rule=\"ListenerCollision\"}"))
                .isGreaterThanOrEqualTo(2);
    }

    /** Golden files: the request under reviews/, the answer under reviews/<mode>/. */
    static final class GoldenSequence {

        static void assertGolden(List<String> names, String mode) {
            for (String name : names) {
                String answer = Https.review(Https.resource("reviews/" + name + ".json")).post("/validate")
                        .then().statusCode(200).contentType("application/json").extract().asString();
                JsonNode expected = tree(Https.resource("reviews/" + mode + "/" + name + ".response.json"));
                assertThat(tree(answer)).as(name).isEqualTo(expected);
            }
        }

        static double metric(String series) {
            String metrics = Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
            return metrics.lines().filter(l -> l.startsWith(series + " "))
                    .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1))).findFirst().orElse(0);
        }

        private static JsonNode tree(String json) {
            try {
                return GoldenReviewsTest.JSON.readTree(json);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + json, e);
            }
        }
    }
}
