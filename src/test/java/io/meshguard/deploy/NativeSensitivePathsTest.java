package io.meshguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.Outcome;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The paths a native image must support, run on the JVM: every sample AdmissionReview read through the codec,
 * judged by the standard rules, and answered, allowed and denied. Everything here works on Jackson trees
 * (JsonNode), never on reflection over meshguard's own classes, so none needs registering for reflection.
 */
class NativeSensitivePathsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AdmissionReviewCodec CODEC = new AdmissionReviewCodec(JSON);
    static final Path REVIEWS = Path.of("src/test/resources/reviews");

    static Stream<Path> reviews() throws IOException {
        List<Path> files;
        try (Stream<Path> listing = Files.list(REVIEWS)) {
            files = listing.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".response.json"))
                    .sorted().toList();
        }
        assertThat(files).as("sample reviews under " + REVIEWS).isNotEmpty();
        return files.stream();
    }

    static JsonNode answer(byte[] response) throws IOException {
        JsonNode root = JSON.readTree(response);
        assertThat(root.path("kind").asText()).isEqualTo("AdmissionReview");
        return root;
    }

    @ParameterizedTest
    @MethodSource("reviews")
    void readJudgedAndAnsweredWithTheUidEchoed(Path file) throws IOException {
        byte[] body = Files.readAllBytes(file);
        String uid = JSON.readTree(body).path("request").path("uid").asText();
        AdmissionRequestView request = CODEC.read(body);
        AdmissionPipeline admission = AdmissionPipeline.validating(CODEC, List.of(
                IstioNetworking.serviceEntries(System::currentTimeMillis)
                        .validator(new ServiceEntryIndexValidator(new ServiceEntryIndex(System::currentTimeMillis,
                                30_000), ServiceEntryReview.standard(), ServiceEntryIndexValidator.Learning.LEARN))
                        .build()));
        Outcome outcome = admission.review(request);

        JsonNode root = answer(CODEC.write(outcome));
        assertThat(root.path("response").path("uid").asText()).isEqualTo(uid).isNotEmpty();
        assertThat(root.path("apiVersion").asText()).isEqualTo(JSON.readTree(body).path("apiVersion").asText());
    }

    @ParameterizedTest
    @MethodSource("reviews")
    void denialWithDetailsIsWrittenWithTheUidEchoed(Path file) throws IOException {
        byte[] body = Files.readAllBytes(file);
        AdmissionRequestView request = CODEC.read(body);
        Finding denial = new Finding("native-check", Severity.DENY, "spec.ports[0]", "denied for the test",
                "denied for the test", null, 443,
                List.of(new Cause("FieldValueInvalid", "spec.ports[0]", "denied for the test")));
        Decision decision = Decision.of(List.of(denial), List.of(Finding.warning("w", "spec", "a warning")));

        JsonNode response = answer(CODEC.write(Outcome.of(request, decision))).path("response");
        assertThat(response.path("uid").asText()).isEqualTo(request.uid());
        assertThat(response.path("allowed").asBoolean(true)).isFalse();
        assertThat(response.path("status").path("details").path("causes").get(0).path("field").asText())
                .isEqualTo("spec.ports[0]");
        assertThat(response.path("warnings").get(0).asText()).isEqualTo("a warning");
    }

    @Test
    void meshConfigYamlIsReadAsATree() {
        MeshConfig mesh = MeshConfigReader.fromYaml("""
                defaultServiceExportTo: ["."]
                defaultConfig:
                  proxyMetadata:
                    ISTIO_META_DNS_CAPTURE: "true"
                """);
        assertThat(mesh).isEqualTo(new MeshConfig(List.of("."), true));
    }
}
