package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.DecisionPolicy;
import io.meshguard.admission.Outcome;
import io.meshguard.cli.Check;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.index.VirtualServiceIndex;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One engine: the same objects, in the same order, through the standalone webhook's own routes
 * ({@link AdmissionBeans#routes}, the {@code /validate} pipeline) and through {@code meshguard check} ({@link Check}
 * over the objects as manifest files). Each step's expected answer (status code, finding codes) is in the table; the
 * two answers must then be the same AdmissionReview response, message for message.
 */
class OneEngineTest {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One object under review and what both must answer: 200, 403 or 422, the denials' and warnings' codes. */
    record Step(String object, int code, List<String> denials, List<String> warnings) {
    }

    /** @param mesh the mesh config both read, as the {@code mesh} key of the istio ConfigMap holds it */
    record Case(String name, String mesh, List<Step> steps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String entry(String namespace, String name, String spec) {
        return """
                {"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry",
                 "metadata":{"name":"%s","namespace":"%s"},"spec":%s}""".formatted(name, namespace, spec);
    }

    static final String HWCLOUD = entry("ns2", "hwcloud", """
            {"hosts":["www.huaweicloud.com"],"ports":[{"number":443,"name":"tcp","protocol":"TCP"}],
             "resolution":"DNS","location":"MESH_EXTERNAL"}""");
    static final String GITHUB = entry("ns1", "github", """
            {"hosts":["github.com"],"ports":[{"number":443,"name":"tcp","protocol":"TCP"}],
             "resolution":"DNS","location":"MESH_EXTERNAL"}""");
    static final String DNS_CAPTURE_AUTO_ALLOCATE = """
            {"defaultConfig":{"proxyMetadata":{"ISTIO_META_DNS_CAPTURE":"true","ISTIO_META_DNS_AUTO_ALLOCATE":"true"}}}""";

    static Stream<Case> cases() {
        return Stream.of(
                new Case("valid: a TLS port with a name (nothing to say)", null, List.of(
                        new Step(entry("shop", "api", """
                                {"hosts":["api.example.com"],"ports":[{"number":443,"name":"tls","protocol":"TLS"}],
                                 "resolution":"DNS","location":"MESH_EXTERNAL"}"""), 200, List.of(), List.of()))),
                // istiod: ValidateServiceEntry calls ValidatePortName (a DNS-1123 label, so never empty) and
                // refuses hosts "*" ("invalid host *"); both are field errors, one cause each.
                new Case("istiod-invalid: a port without a name, host *", null, List.of(
                        new Step(entry("shop", "bad", """
                                {"hosts":["*"],"addresses":["240.0.0.1"],"ports":[{"number":8443,"protocol":"TLS"}],
                                 "resolution":"DNS"}"""), 422, List.of("InvalidHosts", "InvalidPorts"),
                                List.of()))),
                // istioctl: ProtocolAddressesAnalyzer (IST0134), a TCP port and no addresses.
                new Case("IST0134: a TCP port without addresses warns", null, List.of(
                        new Step(HWCLOUD, 200, List.of(), List.of("IST0134")))),
                // istioctl: no IST0134 when the mesh config's proxyMetadata captures DNS and auto-allocates.
                new Case("IST0134: not with DNS capture and auto-allocation in the mesh config",
                        DNS_CAPTURE_AUTO_ALLOCATE, List.of(new Step(HWCLOUD, 200, List.of(), List.of()))),
                // Seed 001: the second TCP entry on 0.0.0.0_443 gets no traffic (mergeTCPFilterChains).
                new Case("seed 001: hwcloud allowed, then github denied naming hwcloud", null, List.of(
                        new Step(HWCLOUD, 200, List.of(), List.of("IST0134")),
                        new Step(GITHUB, 403, List.of("ListenerCollision"), List.of("IST0134")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void the_webhook_and_check_give_the_same_answer(Case c, @TempDir Path dir) throws IOException {
        MeshConfig mesh = c.mesh() == null ? MeshConfig.DEFAULT : MeshConfigReader.fromYaml(c.mesh());
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        index.setMesh(mesh);
        AdmissionBeans.Routes routes = new AdmissionBeans().routes(index,
                ServiceEntryReview.standard(CompanionSettings.DEFAULT.egress()), RunMode.STANDALONE,
                CompanionSettings.DEFAULT, new VirtualServiceIndex(), DecisionPolicy.AS_DECIDED,
                new GatewayIndex(System::currentTimeMillis, 30_000));
        AdmissionReviewCodec codec = new AdmissionReviewCodec(JSON);
        AdmissionPipeline webhook = AdmissionPipeline.validating(codec, routes.all(), DecisionPolicy.AS_DECIDED);

        List<String> files = new ArrayList<>();
        List<Outcome> answers = new ArrayList<>();
        for (int i = 0; i < c.steps().size(); i++) {
            String object = c.steps().get(i).object();
            Path file = dir.resolve(String.format("%02d.json", i));
            Files.writeString(file, object);
            files.add(file.toString());
            answers.add(webhook.review(review("uid-" + i, object)));
            sleepPastTheMillisecond();
        }
        Check.Result checked = new Check(mesh, "default").run(files, List.of(),
                new ByteArrayInputStream(new byte[0]));

        assertThat(checked.problems()).isEmpty();
        assertThat(checked.reviewed()).hasSameSizeAs(c.steps());
        for (int i = 0; i < c.steps().size(); i++) {
            Step step = c.steps().get(i);
            Outcome answer = answers.get(i);
            Decision check = checked.reviewed().get(i).decision();
            assertThat(answer.code()).as("step %d: the webhook's status code", i).isEqualTo(step.code());
            assertThat(codes(answer.denials())).as("step %d: denials", i).isEqualTo(step.denials());
            assertThat(codes(answer.warnings())).as("step %d: warnings", i).isEqualTo(step.warnings());
            assertThat(codes(check.denials())).as("step %d: check's denials", i).isEqualTo(step.denials());
            assertThat(codes(check.warnings())).as("step %d: check's warnings", i).isEqualTo(step.warnings());
            // The whole response, written by the webhook's codec from each decision: messages, causes, warnings.
            assertThat(JSON.readTree(codec.write(Outcome.of(answer.request(), check))))
                    .as("step %d: check's decision as an AdmissionReview response", i)
                    .isEqualTo(JSON.readTree(codec.write(answer)));
        }
        if (c.steps().size() > 1 && c.steps().get(1).code() == 403) {
            assertThat(answers.get(1).denials().get(0).message()).contains("ns2/hwcloud's host www.huaweicloud.com "
                    + "keeps the listener");
        }
    }

    private static byte[] review(String uid, String object) throws IOException {
        JsonNode tree = JSON.readTree(object);
        ObjectNode root = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = root.putObject("request").put("uid", uid);
        request.putObject("kind").put("group", "networking.istio.io").put("version", "v1").put("kind", "ServiceEntry");
        request.putObject("resource").put("group", "networking.istio.io").put("version", "v1")
                .put("resource", "serviceentries");
        request.put("name", tree.path("metadata").path("name").asText())
                .put("namespace", tree.path("metadata").path("namespace").asText()).put("operation", "CREATE");
        request.set("object", tree);
        return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> codes(List<Finding> findings) {
        return findings.stream().map(Finding::code).distinct().toList();
    }

    /** The standalone webhook stamps an entry with the time of its review; the next one must be newer. */
    private static void sleepPastTheMillisecond() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
