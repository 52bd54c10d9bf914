package io.meshguard.enforcement.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshguard.enforcement.cluster.FailClosedSwitch.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fail-closed switch against fabric8's mock API server in expectations mode: the exact requests (the dry-run
 * create of the colliding probe, then the JSON patch of the policy), and the paths where the policy must stay Ignore
 * with a metric and a log line that say why.
 */
@EnableKubernetesMockClient
class FailClosedSwitchTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String VWC = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/meshguard";
    static final String ENTRIES = "/apis/networking.istio.io/v1/namespaces/meshguard-selftest/serviceentries";
    static final String DENIED = "admission webhook \"validate.serviceentries.meshguard.io\" denied the request: "
            + "ServiceEntry meshguard-selftest/meshguard-selftest-probe port 9/TCP collides with "
            + "meshguard-selftest/meshguard-selftest-anchor on listener 0.0.0.0_9";

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<String> log = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record.getLevel() + " " + String.valueOf(record.getMessage()) + " "
                    + (record.getParameters() == null ? "" : List.of(record.getParameters())));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private FailClosedSwitch failClosed;

    @BeforeEach
    void setUp() throws InterruptedException {
        server.reset();
        while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // forget earlier requests
        }
        Logger.getLogger(FailClosedSwitch.class.getName()).addHandler(capture);
        failClosed = new FailClosedSwitch(client, "meshguard", "validate.serviceentries.meshguard.io",
                "meshguard-selftest", registry);
    }

    @AfterEach
    void tearDown() {
        Logger.getLogger(FailClosedSwitch.class.getName()).removeHandler(capture);
    }

    @Test
    void a_denied_dry_run_probe_switches_the_policy_to_fail() throws Exception {
        // fabric8 reads the object again before it patches it: two GETs.
        server.expect().get().withPath(VWC).andReturn(200, webhooks("Ignore")).times(2);
        server.expect().get().withPath(ENTRIES + "/meshguard-selftest-anchor").andReturn(200, "{}").once();
        server.expect().post().withPath(ENTRIES + "?dryRun=All").andReturn(403, denial(DENIED)).once();
        server.expect().patch().withPath(VWC).andReturn(200, webhooks("Fail")).once();

        FailClosedSwitch.Result result = failClosed.check();

        assertThat(result.outcome()).isEqualTo(Outcome.SWITCHED);
        List<RecordedRequest> requests = requests();
        assertThat(requests).extracting(r -> r.getMethod() + " " + r.getPath()).containsExactly(
                "GET " + VWC, "GET " + ENTRIES + "/meshguard-selftest-anchor", "POST " + ENTRIES + "?dryRun=All",
                "GET " + VWC, "PATCH " + VWC);
        JsonNode probe = JSON.readTree(requests.get(2).getBody().readUtf8());
        assertThat(probe.path("metadata").path("name").asText()).isEqualTo("meshguard-selftest-probe");
        assertThat(probe.path("spec").path("ports").get(0).path("protocol").asText()).isEqualTo("TCP");
        assertThat(probe.path("spec").path("exportTo").toString()).isEqualTo("[\".\"]");
        assertThat(probe.path("spec").has("addresses")).isFalse();
        RecordedRequest patch = requests.get(4);
        assertThat(patch.getHeader("Content-Type")).startsWith("application/json-patch+json");
        assertThat(JSON.readTree(patch.getBody().readUtf8())).isEqualTo(JSON.readTree("""
                [{"op":"test","path":"/webhooks/1/name","value":"validate.serviceentries.meshguard.io"},
                 {"op":"replace","path":"/webhooks/1/failurePolicy","value":"Fail"}]"""));
        assertThat(counted("switched")).isEqualTo(1);
        assertThat(registry.get("meshguard.failclosed.policy").gauge().value()).isEqualTo(1);
    }

    @Test
    void an_admitted_probe_leaves_the_policy_ignore_with_a_metric_and_a_log_line() throws Exception {
        server.expect().get().withPath(VWC).andReturn(200, webhooks("Ignore")).once();
        server.expect().get().withPath(ENTRIES + "/meshguard-selftest-anchor").andReturn(200, "{}").once();
        server.expect().post().withPath(ENTRIES + "?dryRun=All").andReturn(201, "{}").once();

        FailClosedSwitch.Result result = failClosed.check();

        assertThat(result.outcome()).isEqualTo(Outcome.PROBE_ALLOWED);
        assertThat(requests()).extracting(RecordedRequest::getMethod).doesNotContain("PATCH");
        assertThat(counted("probe_allowed")).isEqualTo(1);
        assertThat(registry.get("meshguard.failclosed.policy").gauge().value()).isZero();
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("WARN")
                .contains("stays fail-open").contains("was admitted: meshguard did not deny it"));
    }

    @Test
    void a_refusal_by_something_else_is_no_proof() throws Exception {
        server.expect().get().withPath(VWC).andReturn(200, webhooks("Ignore")).once();
        server.expect().get().withPath(ENTRIES + "/meshguard-selftest-anchor").andReturn(200, "{}").once();
        server.expect().post().withPath(ENTRIES + "?dryRun=All")
                .andReturn(403, denial("serviceentries is forbidden: User cannot create")).once();

        assertThat(failClosed.check().outcome()).isEqualTo(Outcome.ERROR);
        assertThat(requests()).extracting(RecordedRequest::getMethod).doesNotContain("PATCH");
        assertThat(counted("error")).isEqualTo(1);
    }

    @Test
    void a_missing_anchor_is_stored_and_the_probe_waits_for_the_next_check() throws Exception {
        server.expect().get().withPath(VWC).andReturn(200, webhooks("Ignore")).once();
        server.expect().post().withPath(ENTRIES).andReturn(201, "{}").once();

        assertThat(failClosed.check().outcome()).isEqualTo(Outcome.ANCHOR_CREATED);
        List<RecordedRequest> requests = requests();
        assertThat(requests).extracting(r -> r.getMethod() + " " + r.getPath()).containsExactly(
                "GET " + VWC, "GET " + ENTRIES + "/meshguard-selftest-anchor", "POST " + ENTRIES);
        JsonNode anchor = JSON.readTree(requests.get(2).getBody().readUtf8());
        assertThat(anchor.path("metadata").path("name").asText()).isEqualTo("meshguard-selftest-anchor");
    }

    @Test
    void a_policy_already_fail_needs_no_probe() throws Exception {
        server.expect().get().withPath(VWC).andReturn(200, webhooks("Fail")).once();
        assertThat(failClosed.check().outcome()).isEqualTo(Outcome.ALREADY_FAIL);
        assertThat(requests()).extracting(RecordedRequest::getMethod).containsExactly("GET");
    }

    @Test
    void a_missing_configuration_is_said() throws Exception {
        assertThat(failClosed.check().outcome()).isEqualTo(Outcome.MISSING);
        assertThat(registry.get("meshguard.failclosed.policy").gauge().value()).isEqualTo(-1);
    }

    /** The configuration with another webhook first, so the patch must find meshguard's by name. */
    private static ValidatingWebhookConfiguration webhooks(String policy) {
        return new ValidatingWebhookConfigurationBuilder().withNewMetadata().withName("meshguard").endMetadata()
                .addNewWebhook().withName("other.example.com").withFailurePolicy("Ignore").endWebhook()
                .addNewWebhook().withName("validate.serviceentries.meshguard.io").withFailurePolicy(policy).endWebhook()
                .build();
    }

    private static io.fabric8.kubernetes.api.model.Status denial(String message) {
        return new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden").withMessage(message)
                .build();
    }

    private double counted(String outcome) {
        return registry.get("meshguard.failclosed.checks").tag("outcome", outcome).counter().count();
    }

    private static List<RecordedRequest> requests() throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }
}
