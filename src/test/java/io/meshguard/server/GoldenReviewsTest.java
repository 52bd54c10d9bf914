package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Real AdmissionReview JSON posted over HTTPS in order, each whole response compared with its golden
 * file under {@code reviews/}. Each scenario uses names and ports of its own: the standalone index is
 * shared by every test in this server.
 */
@QuarkusTest
class GoldenReviewsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void seed_001_the_first_entry_is_allowed_and_the_second_denied_naming_the_first() {
        assertGoldenSequence(List.of("seed001-hwcloud-create", "seed001-github-create"));
    }

    @Test
    void seed_002_gateway_and_virtual_service_are_allowed_and_a_second_gateway_on_port_80_host_star_is_denied() {
        assertGoldenSequence(List.of("seed002-bookinfo-gateway-create", "seed002-bookinfo-virtualservice-create",
                "seed002-second-gateway-create"));
    }

    @Test
    void a_virtual_service_bound_to_a_missing_gateway_is_allowed_with_a_warning() {
        assertGoldenSequence(List.of("seed002-virtualservice-missing-gateway-create"));
    }

    @Test
    void v1beta1_reviews_are_answered_in_v1beta1_and_a_host_declared_identically_elsewhere_is_a_warning() {
        assertGoldenSequence(List.of("v1beta1-codecommit-team-a-create", "v1beta1-codecommit-team-b-create"));
    }

    @Test
    void tcp_beside_http_on_one_wildcard_port_is_allowed_with_a_warning() {
        assertGoldenSequence(List.of("sniffing-web-http-create", "sniffing-raw-tcp-create"));
    }

    @Test
    void a_dry_run_gets_the_same_answer_and_leaves_the_index_alone() {
        String first = Reviews.tcpEntry("dry-1", "dry-a", "first", 33000).replace("\"operation\":\"CREATE\"",
                "\"operation\":\"CREATE\",\"dryRun\":true");
        Https.review(first).post("/validate").then().statusCode(200).body("response.allowed", equalTo(true));

        // Had the dry run been learned, this entry would now collide with it.
        Https.review(Reviews.tcpEntry("dry-2", "dry-b", "second", 33000)).post("/validate")
                .then().statusCode(200).body("response.allowed", equalTo(true));

        String colliding = Reviews.tcpEntry("dry-3", "dry-c", "third", 33000).replace("\"operation\":\"CREATE\"",
                "\"operation\":\"CREATE\",\"dryRun\":true");
        Https.review(colliding).post("/validate").then().statusCode(200)
                .body("response.allowed", equalTo(false))
                .body("response.status.message", containsString("collides with dry-b/second"));
        Https.review(Reviews.tcpEntry("dry-4", "dry-c", "third", 33000)).post("/validate").then()
                .body("response.allowed", equalTo(false));
    }

    @Test
    void a_delete_review_makes_standalone_forget_the_entry() {
        Https.review(Reviews.tcpEntry("del-1", "del-a", "old", 33100)).post("/validate")
                .then().body("response.allowed", equalTo(true));
        Https.review(Reviews.tcpEntry("del-2", "del-b", "new", 33100)).post("/validate")
                .then().body("response.allowed", equalTo(false));
        String delete = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"del-3",
                 "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},
                 "name":"old","namespace":"del-a","operation":"DELETE","object":null}}""";
        Https.review(delete).post("/validate").then().statusCode(200)
                .body("response.uid", equalTo("del-3")).body("response.allowed", equalTo(true));
        Https.review(Reviews.tcpEntry("del-4", "del-b", "new", 33100)).post("/validate")
                .then().body("response.allowed", equalTo(true));
    }

    /**
     * The API server's Go client asks for gzip and inflates the answer: a denial (about 2 KiB) comes back gzipped and
     * inflates to the answer a client that does not ask gets; an allowed answer is too small to gain and stays plain.
     */
    @Test
    void answers_of_a_kilobyte_or_more_are_gzipped_for_a_client_that_asks() throws Exception {
        record Case(String what, String body, boolean allowed, String encoding) {
        }
        String first = Reviews.tcpEntry("gz-1", "gzip-a", "first", 34700);
        String second = Reviews.tcpEntry("gz-2", "gzip-b", "second", 34700);
        List<Case> cases = List.of(
                new Case("allowed, learned", first, true, null),
                new Case("denied, colliding with the first", second, false, "gzip"),
                new Case("allowed, on a port of its own",
                        Reviews.tcpEntry("gz-3", "gzip-c", "third", 34701), true, null));
        for (Case c : cases) {
            HttpResponse<byte[]> zipped = post(c.body(), true);
            HttpResponse<byte[]> plain = post(c.body(), false);
            assertThat(zipped.headers().firstValue("Content-Encoding")).as(c.what()).isEqualTo(
                    Optional.ofNullable(c.encoding()));
            assertThat(plain.headers().firstValue("Content-Encoding")).as(c.what() + ", not asked").isEmpty();
            byte[] inflated = c.encoding() == null ? zipped.body()
                    : new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes();
            assertThat(tree(new String(inflated, StandardCharsets.UTF_8))).as(c.what())
                    .isEqualTo(tree(new String(plain.body(), StandardCharsets.UTF_8)));
            assertThat(tree(new String(plain.body(), StandardCharsets.UTF_8))
                    .path("response").path("allowed").asBoolean()).as(c.what()).isEqualTo(c.allowed());
        }
    }

    private static HttpResponse<byte[]> post(String body, boolean gzip) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("https://localhost:" + Https.PORT + "/validate"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        return Https.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void readiness_and_liveness_are_up_in_standalone_mode() {
        Https.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'serviceentry-index' }.data.mode", equalTo("standalone"));
        Https.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metrics_count_reviews_and_denials_by_rule() {
        double before = denials("ListenerCollision");
        Https.review(Reviews.tcpEntry("m-1", "metrics-a", "one", 33200)).post("/validate").then().statusCode(200);
        Https.review(Reviews.tcpEntry("m-2", "metrics-b", "two", 33200)).post("/validate")
                .then().body("response.allowed", equalTo(false));
        assertThat(denials("ListenerCollision")).isEqualTo(before + 1);
        assertThat(metrics()).contains("meshguard_review_seconds_count{decision=\"denied\",kind=\"ServiceEntry\","
                + "operation=\"CREATE\",webhook=\"validate\"}");
        assertThat(metrics()).contains("meshguard_index_entries");
    }

    private static String metrics() {
        return Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double denials(String rule) {
        String prefix = "meshguard_denials_total{rule=\"" + rule + "\"} ";
        return metrics().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(0);
    }

    private static void assertGoldenSequence(List<String> names) {
        for (String name : names) {
            String answer = Https.review(Https.resource("reviews/" + name + ".json")).post("/validate")
                    .then().statusCode(200).contentType("application/json").extract().asString();
            assertThat(tree(answer)).as(name).isEqualTo(tree(Https.resource("reviews/" + name + ".response.json")));
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
