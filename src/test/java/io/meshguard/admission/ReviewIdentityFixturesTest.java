package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which object a review is about, as a table: each file under {@code fixtures/identity} holds the entries in the
 * cluster, the review's request (operation, request.name and request.namespace, object, oldObject) and the expected
 * answer of {@code /validate} (allowed, status code, denial and warning codes, message fragments, whether anything
 * was recorded in the index) or of {@code /mutate} (the JSON patch and warning codes). Each review goes through the
 * codec, the pipeline and the response writer as the HTTP edge sends it, with the API server's function that
 * guarantees (or breaks) the identity named in {@code source}.
 */
class ReviewIdentityFixturesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static Stream<Arguments> fixtures() {
        return Fixtures.in("identity");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void answers_as_the_fixture_says(String file, JsonNode fixture) throws Exception {
        assertThat(fixture.path("source").asText()).as("source").isNotBlank();
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        fixture.path("existing").forEach(e -> index.confirm(ServiceEntryReader.read(e, null, NOW)));
        AdmissionReviewCodec codec = new AdmissionReviewCodec(JSON);
        boolean mutate = fixture.path("webhook").asText("validate").equals("mutate");
        KindRoute.Builder<ServiceEntryFacts> route = IstioNetworking.serviceEntries(() -> NOW);
        AdmissionPipeline pipeline = mutate
                ? AdmissionPipeline.mutating(codec, List.of(route.mutator(new CompanionPlanMutator(
                        new CompanionPlanner(CompanionSettings.DEFAULT), List::of, () -> MeshConfig.DEFAULT)).build()))
                : AdmissionPipeline.validating(codec, List.of(route.validator(new ServiceEntryIndexValidator(index,
                        ServiceEntryReview.standard(), ServiceEntryIndexValidator.Learning.valueOf(
                                fixture.path("learning").asText("LEARN")))).build()));
        Set<ServiceEntryFacts> before = new HashSet<>(index.stored().entries());
        int reservations = index.reservations();

        JsonNode response = JSON.readTree(codec.write(pipeline.review(review(file, fixture.required("request")))))
                .path("response");

        JsonNode expect = fixture.required("expect");
        String answer = response.toString();
        assertThat(response.path("allowed").asBoolean()).as("allowed: %s", answer)
                .isEqualTo(expect.required("allowed").asBoolean());
        if (expect.has("code")) {
            assertThat(response.at("/status/code").asInt()).as("status.code: %s", answer)
                    .isEqualTo(expect.get("code").asInt());
        }
        if (expect.has("reason")) {
            assertThat(response.at("/status/reason").asText()).as("status.reason").isEqualTo(expect.get("reason").asText());
        }
        if (expect.has("denials")) {
            List<String> reasons = new ArrayList<>();
            response.at("/status/details/causes").forEach(c -> reasons.add(c.path("reason").asText()));
            // Each denial's causes start with its code; the causes after it give its details (CollidesWith, ...).
            assertThat(reasons).as("denial codes: %s", answer).startsWith(Fixtures.texts(expect.get("denials")).get(0))
                   .containsAll(Fixtures.texts(expect.get("denials")));
        }
        for (String fragment : Fixtures.texts(expect.path("messageContains"))) {
            assertThat(response.at("/status/message").asText()).as("message").contains(fragment);
        }
        if (expect.has("warnings")) {
            List<String> warnings = Fixtures.texts(response.path("warnings"));
            List<String> codes = Fixtures.texts(expect.get("warnings"));
            assertThat(warnings).as("warnings: %s", answer).hasSameSizeAs(codes);
            for (String code : codes) {
                assertThat(warnings).as("a warning for %s", code).anySatisfy(w -> assertThat(w).contains(
                        words(code)));
            }
        }
        if (expect.has("patch")) {
            JsonNode patch = response.has("patch")
                    ? JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()))
                    : JSON.createArrayNode();
            assertThat(patch).as("patch").isEqualTo(expect.get("patch"));
        }
        if (expect.has("recorded")) {
            boolean recorded = !new HashSet<>(index.stored().entries()).equals(before)
                    || index.reservations() != reservations;
            assertThat(recorded).as("recorded in the index").isEqualTo(expect.get("recorded").asBoolean());
        }
        if (expect.has("confirmed")) {
            assertThat(index.stored().entries().stream().map(f -> f.key().toString()).sorted().toList())
                    .as("confirmed entries").isEqualTo(Fixtures.texts(expect.get("confirmed")));
        }
    }

    /** A fragment every warning of that code carries. */
    private static String words(String code) {
        return switch (code) {
            case CompanionPlanMutator.NOT_NAMED_YET -> "No companions planned yet";
            case "ListenerCollision" -> "Pre-existing collision";
            default -> code;
        };
    }

    /** The AdmissionReview the API server would send for the fixture's request, as bytes. */
    static byte[] review(String file, JsonNode fixtureRequest) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode request = root.putObject("request");
        request.put("uid", "uid-" + file);
        request.putObject("kind").put("group", "networking.istio.io").put("version", "v1").put("kind", "ServiceEntry");
        request.putObject("resource").put("group", "networking.istio.io").put("version", "v1")
                .put("resource", "serviceentries");
        for (String field : List.of("name", "namespace", "operation")) {
            if (fixtureRequest.has(field)) {
                request.set(field, fixtureRequest.get(field));
            }
        }
        for (String field : List.of("object", "oldObject")) {
            if (fixtureRequest.has(field)) {
                ObjectNode object = JSON.createObjectNode();
                object.put("apiVersion", "networking.istio.io/v1");
                object.put("kind", "ServiceEntry");
                object.setAll((ObjectNode) fixtureRequest.get(field));
                request.set(field, object);
            }
        }
        return JSON.writeValueAsBytes(root);
    }
}
