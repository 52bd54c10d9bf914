package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.admission.HostileInputs;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A sample of HostileReviewPropertiesTest's inputs over real HTTPS (fixed seeds): nothing answers 500, nothing takes
 * over a second, and a normal review is answered correctly after each batch.
 */
@QuarkusTest
class HostileHttpsTest {

    static final long HTTPS_BOUND_MILLIS = 10_000;

    /** {@code count} values of a jqwik arbitrary, the same ones on every run (a jqwik session outside a property). */
    static <T> List<T> sample(Arbitrary<T> arbitrary, int count, long seed) {
        JqwikSession.start();
        try {
            Random random = new Random(seed);
            var generator = arbitrary.generator(1000);
            List<T> values = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                values.add(generator.next(random).value());
            }
            return values;
        } finally {
            JqwikSession.finish();
        }
    }

    static int post(byte[] body) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = Https.rawPost(body);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(response.statusCode()).as("never 500: %s", response.body()).isNotEqualTo(500);
        // The one-second property is asserted in-process (HostileReviewPropertiesTest); over HTTPS the wall clock
        // also holds the test client's and a busy runner's scheduling, so a hang is what this bound catches.
        assertThat(millis).as("answered, not hung").isLessThan(HTTPS_BOUND_MILLIS);
        if (response.statusCode() == 400) {
            assertThat(response.body()).contains("\"code\":400");
        }
        return response.statusCode();
    }

    static void batch(List<byte[]> bodies, Function<Integer, Boolean> expected) throws Exception {
        for (byte[] body : bodies) {
            int status = post(body);
            assertThat(expected.apply(status)).as("status %s", status).isTrue();
        }
    }

    @AfterEach
    void still_judges() {
        Https.review(Reviews.tcpEntry("after-hostile", "hostile", "healthy", 41100).replace("\"CREATE\"",
                "\"CREATE\",\"dryRun\":true"))
                .post("/validate").then().statusCode(200)
                .body("response.uid", equalTo("after-hostile"))
                .body("response.allowed", equalTo(true));
    }

    @Test
    void random_bytes_truncated_json_and_deep_nesting_are_400() throws Exception {
        batch(sample(HostileInputs.randomBytes(), 40, 1), s -> s == 400);
        batch(sample(HostileInputs.truncated(), 40, 2), s -> s == 400);
        batch(sample(HostileInputs.deeplyNested(), 10, 3), s -> s == 400 || s == 200);
        StringBuilder deep = new StringBuilder();
        deep.append("[".repeat(100_000)).append("]".repeat(100_000));
        assertThat(post(deep.toString().getBytes())).as("100,000 nested arrays").isEqualTo(400);
    }

    @Test
    void huge_arrays_and_mutated_reviews_are_answered() throws Exception {
        List<byte[]> huge = new ArrayList<>();
        for (ObjectNode review : sample(HostileInputs.hugeArrays(), 6, 4)) {
            huge.add(HostileInputs.bytes(review));
        }
        // A cold JVM interprets its first multi-megabyte review: 0.6 to 2 s on this 2-core machine, 0.1 to 0.15 s
        // once compiled. The bound is for the server in service, so one untimed pass first (BENCHMARKS.md).
        for (byte[] body : huge) {
            assertThat(Https.rawPost(body).statusCode()).isEqualTo(200);
        }
        batch(huge, s -> s == 200);
        List<byte[]> mutated = new ArrayList<>();
        Random random = new Random(5);
        List<JsonNode> values = sample(HostileInputs.wrongValues(), 60, 6);
        List<ObjectNode> reviews = sample(HostileInputs.validReviews(), 60, 7);
        for (int i = 0; i < 60; i++) {
            ObjectNode review = reviews.get(i);
            // Dry runs: the test server is shared with the other HTTPS tests, and must not learn these entries.
            ((ObjectNode) review.get("request")).put("dryRun", true);
            List<String> pointers = HostileInputs.pointers(review);
            HostileInputs.replace(review, pointers.get(random.nextInt(pointers.size())), values.get(i));
            mutated.add(HostileInputs.bytes(review));
        }
        batch(mutated, s -> s == 200 || s == 400);
    }

    @Test
    void unicode_and_unparseable_addresses_are_answered() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : sample(HostileInputs.unicodeText(), 30, 8)) {
            bodies.add(HostileInputs.bytes(HostileInputs.review("CREATE", "u-" + bodies.size() + text, "hostile",
                    "uni", HostileInputs.spec(List.of(text), List.of(HostileInputs.port(8443, "TLS")), List.of(),
                            List.of()), null, true)));
        }
        for (String address : sample(HostileInputs.badAddresses(), 30, 9)) {
            bodies.add(HostileInputs.bytes(HostileInputs.review("CREATE", "a-" + bodies.size(), "hostile", "addr",
                    HostileInputs.spec(List.of("a.example.com"), List.of(HostileInputs.port(41101, "TCP")),
                            List.of(address), List.of()), null, true)));
        }
        batch(bodies, s -> s == 200);
    }

    @Test
    void kinds_a_client_invents_do_not_grow_the_metrics() throws Exception {
        for (int i = 0; i < 30; i++) {
            String pod = """
                    {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"k-%d",
                     "kind":{"group":"example.com","version":"v1","kind":"Invented%d"},"operation":"CREATE",
                     "object":{}}}""".formatted(i, i);
            assertThat(post(pod.getBytes())).isEqualTo(200);
        }
        String metrics = Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain("Invented");
        Matcher kinds = Pattern.compile("meshguard_review_seconds_count\\{[^}]*kind=\"([^\"]*)\"").matcher(metrics);
        List<String> seen = new ArrayList<>();
        while (kinds.find()) {
            seen.add(kinds.group(1));
        }
        assertThat(seen).isNotEmpty().allSatisfy(k -> assertThat(k).isIn("ServiceEntry", "VirtualService", "Gateway",
                "DestinationRule", "Sidecar", "other"));
    }
}
