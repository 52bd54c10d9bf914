package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.fge.jsonpatch.JsonPatch;
import io.quarkus.test.junit.QuarkusTest;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The mutating webhook over real HTTPS: each review under {@code reviews/mutate/} is posted and the whole
 * answer compared with its golden file. Where there is a patch it is applied to the request's object by an
 * independent RFC 6902 implementation (and by kubectl, which uses the API server's library, when it is
 * installed), and the result compared with the expected object. The patched object is then posted again and
 * must get no patch, and a dry run must get the same answer.
 */
@QuarkusTest
class MutateGoldenTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "seed000-codecommit-create",
        "annotated-github-create",
        "seed004-baidu-egress-update",
        "sni-switched-off-update",
        "v1beta1-already-annotated-no-patch",
        "virtualservice-not-handled",
        "serviceentry-delete-no-patch",
        "http-only-create-no-patch"})
    void answers_as_the_golden_file_says_and_the_patch_yields_the_expected_object(String name) throws Exception {
        JsonNode review = tree(Https.resource("reviews/mutate/" + name + ".json"));
        JsonNode answer = post(review);

        assertThat(answer).as("the whole answer").isEqualTo(tree(Https.resource("reviews/mutate/" + name
                + ".response.json")));

        JsonNode response = answer.path("response");
        if (!response.has("patch")) {
            assertThat(response.has("patchType")).as("patchType only with a patch").isFalse();
            return;
        }
        JsonNode object = review.path("request").path("object");
        JsonNode patch = JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        JsonNode expected = tree(Https.resource("reviews/mutate/" + name + ".object.json"));
        JsonNode patched = JsonPatch.fromJson(patch).apply(object);
        assertThat(patched).as("the patch applied by json-patch").isEqualTo(expected);
        if (kubectl() != null) {
            assertThat(kubectlPatch(object, patch)).as("the patch applied by kubectl").isEqualTo(expected);
        }

        ObjectNode again = review.deepCopy();
        ((ObjectNode) again.path("request")).set("object", patched);
        ((ObjectNode) again.path("request")).put("uid", "again-" + name);
        JsonNode second = post(again).path("response");
        assertThat(second.has("patch")).as("a second pass over its own output changes nothing").isFalse();
        assertThat(second.has("patchType")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"seed000-codecommit-create", "sni-switched-off-update", "http-only-create-no-patch"})
    void a_dry_run_gets_the_same_answer(String name) {
        JsonNode review = tree(Https.resource("reviews/mutate/" + name + ".json"));
        ObjectNode dryRun = review.deepCopy();
        ((ObjectNode) dryRun.path("request")).put("dryRun", true);

        assertThat(post(dryRun)).isEqualTo(post(review));
    }

    @Test
    void mutating_has_no_side_effect_on_the_validating_index_dry_run_or_not() {
        for (boolean dryRun : new boolean[] {true, false}) {
            String first = Reviews.tcpEntry("mut-" + dryRun, "mut-a", "first-" + dryRun, 33300)
                    .replace("\"operation\":\"CREATE\"", "\"operation\":\"CREATE\",\"dryRun\":" + dryRun);
            Https.review(first).post("/mutate").then().statusCode(200).body("response.allowed", equalTo(true));
        }
        // Had /mutate learned either entry, this one would collide with it on 0.0.0.0_33300.
        Https.review(Reviews.tcpEntry("mut-3", "mut-b", "second", 33300)).post("/validate")
                .then().statusCode(200).body("response.allowed", equalTo(true));
    }

    @Test
    void the_error_contract_holds_for_mutate_too() {
        Https.review("{\"kind\":\"AdmissionReview\"}").post("/mutate").then().statusCode(400);
        Https.given().contentType("text/plain").body("x").post("/mutate").then().statusCode(415);
        String noObject = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"m-x",
                 "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},
                 "name":"a","namespace":"b","operation":"CREATE"}}""";
        Https.review(noObject).post("/mutate").then().statusCode(400);
    }

    @Test
    void metrics_count_mutate_reviews() {
        Https.review(Https.resource("reviews/mutate/seed000-codecommit-create.json")).post("/mutate")
                .then().statusCode(200);
        String metrics = Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("meshguard_review_seconds_count{decision=\"allowed\",kind=\"ServiceEntry\","
                + "operation=\"CREATE\",webhook=\"mutate\"}");
    }

    private static JsonNode post(JsonNode review) {
        return tree(Https.review(review.toString()).post("/mutate").then().statusCode(200)
                .contentType("application/json").extract().asString());
    }

    private static String kubectl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** {@code kubectl patch --local}: applies a JSON patch offline with the API server's own library. */
    private static JsonNode kubectlPatch(JsonNode object, JsonNode patch) throws Exception {
        Path file = Files.createTempFile("meshguard-object", ".json");
        try {
            Files.writeString(file, object.toString());
            Process process = new ProcessBuilder(kubectl(), "patch", "--local", "-f", file.toString(), "--type=json",
                    "-p", patch.toString(), "-o", "json").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
            assertThat(process.exitValue()).as("kubectl patch: %s", output).isZero();
            return tree(output);
        } finally {
            Files.deleteIfExists(file);
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
