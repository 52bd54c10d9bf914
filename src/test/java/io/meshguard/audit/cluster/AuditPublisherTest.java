package io.meshguard.audit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshguard.audit.AuditMetrics;
import io.meshguard.audit.AuditResult;
import io.meshguard.audit.AuditRunner;
import io.meshguard.audit.Auditor;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.rules.ServiceEntryReview;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit of entries that were in the cluster before meshguard, against fabric8's mock API server in CRUD mode:
 * the report owned by the losing entry, the Event on it, the metrics; what a second scan writes (nothing), what
 * deleting an entry does, the write budget, a new leader, and an API server without the report CRD.
 */
@EnableKubernetesMockClient(crud = true)
class AuditPublisherTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext ENTRIES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("ServiceEntry").withPlural("serviceentries")
            .withNamespaced(true).build();

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ServiceEntryIndex index;
    private SimpleMeterRegistry registry;
    private AuditRunner runner;

    @BeforeEach
    void reset() throws InterruptedException {
        server.reset();
        PublishedReports.drain(server);
        index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        registry = new SimpleMeterRegistry();
        runner = new AuditRunner(index, new Auditor(ServiceEntryReview.standard()), new AuditMetrics(registry),
                System::currentTimeMillis, Duration.ofMinutes(10), Duration.ofSeconds(1));
    }

    @Test
    void a_collision_that_predates_meshguard_gets_a_report_on_the_loser_an_event_and_metrics() throws Exception {
        serveReports(ReportKind.OPENREPORTS);
        store("ns2", "hwcloud", "www.huaweicloud.com", 443, "2024-01-01T00:00:00Z");
        store("ns1", "github", "github.com", 443, "2025-01-01T00:00:00Z");
        AuditPublisher publisher = publisher(ReportKind.OPENREPORTS, 100);

        AuditResult result = runner.run();
        assertThat(publisher.publish(result)).as("nothing left for later").isFalse();

        GenericKubernetesResource report = report(ReportKind.OPENREPORTS, "ns1", "github");
        assertThat(report).as("the loser's report").isNotNull();
        assertThat(report(ReportKind.OPENREPORTS, "ns2", "hwcloud")).as("the keeper has none").isNull();
        String githubUid = entry("ns1", "github").getMetadata().getUid();
        assertThat(githubUid).isNotBlank();
        PublishedReports.assertOwnedBy(report, "ServiceEntry", "github", githubUid);
        JsonNode body = JSON.valueToTree(report);
        assertThat(body.path("scope").path("uid").asText()).isEqualTo(githubUid);
        assertThat(body.path("summary").path("fail").asInt()).isEqualTo(1);
        JsonNode finding = body.path("results").get(0);
        assertThat(finding.path("policy").asText()).isEqualTo("ListenerCollision");
        assertThat(finding.path("result").asText()).isEqualTo("fail");
        assertThat(finding.path("properties").path("otherEntry").asText()).isEqualTo("ns2/hwcloud");
        assertThat(finding.path("properties").path("keptBy").asText()).isEqualTo("ns2/hwcloud in * (older)");
        assertThat(finding.path("properties").path("listener").asText()).isEqualTo("0.0.0.0_443");

        List<Event> events = client.v1().events().inNamespace("ns1").list().getItems();
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getReason()).isEqualTo("ListenerCollision");
            assertThat(event.getInvolvedObject().getName()).isEqualTo("github");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(githubUid);
            assertThat(event.getMessage()).contains("collides with ns2/hwcloud").contains("ns2/hwcloud keeps it");
        });
        assertThat(client.v1().events().inNamespace("ns2").list().getItems()).isEmpty();

        assertThat(registry.get("meshguard.audit.findings").tag("rule", "ListenerCollision").tag("severity", "deny")
                .gauge().value()).isEqualTo(1);
        assertThat(registry.get("meshguard.audit.entries").gauge().value()).isEqualTo(2);
        assertThat(registry.get("meshguard.audit.last.run.seconds").gauge().value()).isPositive();
        assertThat(registry.get("meshguard.audit.duration").timer().count()).isEqualTo(1);

        PublishedReports.drain(server);
        assertThat(publisher.publish(runner.run())).isFalse();
        assertThat(PublishedReports.writes(server)).as("a second scan with no change writes nothing").isEmpty();
        assertThat(client.v1().events().inNamespace("ns1").list().getItems()).hasSize(1);

        remove("ns2", "hwcloud");
        assertThat(publisher.publish(runner.run())).isFalse();
        assertThat(report(ReportKind.OPENREPORTS, "ns1", "github")).as("deleting the keeper clears the report").isNull();
        assertThat(registry.get("meshguard.audit.findings").tag("rule", "ListenerCollision").tag("severity", "deny")
                .gauge().value()).isZero();
        assertThat(client.v1().events().inNamespace("ns1").list().getItems()).as("no Event for a cleared finding")
                .hasSize(1);
    }

    @Test
    void a_new_leader_reads_the_reports_back_and_writes_nothing_for_what_did_not_change() throws Exception {
        serveReports(ReportKind.OPENREPORTS);
        store("ns2", "hwcloud", "www.huaweicloud.com", 443, "2024-01-01T00:00:00Z");
        store("ns1", "github", "github.com", 443, "2025-01-01T00:00:00Z");
        publisher(ReportKind.OPENREPORTS, 100).publish(runner.run());
        assertThat(report(ReportKind.OPENREPORTS, "ns1", "github")).isNotNull();

        PublishedReports.drain(server);
        AuditPublisher next = publisher(ReportKind.OPENREPORTS, 100);
        next.start();
        assertThat(next.publish(runner.run())).isFalse();
        assertThat(PublishedReports.writes(server)).isEmpty();
    }

    @Test
    void writes_per_scan_are_bounded_and_the_rest_wait_for_the_next_scan() throws Exception {
        serveReports(ReportKind.POLICYREPORT);
        store("ns0", "keeper", "keeper.example.com", 5432, "2024-01-01T00:00:00Z");
        for (int i = 1; i <= 3; i++) {
            store("ns" + i, "late" + i, "late" + i + ".example.com", 5432, "2025-01-0" + i + "T00:00:00Z");
        }
        AuditPublisher publisher = publisher(ReportKind.POLICYREPORT, 4);
        AuditResult result = runner.run();
        PublishedReports.drain(server);
        assertThat(publisher.publish(result)).as("writes left over").isTrue();
        assertThat(PublishedReports.writes(server)).hasSize(4);
        assertThat(publisher.publish(result)).isFalse();
        assertThat(PublishedReports.writes(server)).hasSize(2);
        for (int i = 1; i <= 3; i++) {
            GenericKubernetesResource report = report(ReportKind.POLICYREPORT, "ns" + i, "late" + i);
            assertThat(report).isNotNull();
            assertThat(report.getApiVersion()).isEqualTo("wgpolicyk8s.io/v1alpha2");
            assertThat(report.getKind()).isEqualTo("PolicyReport");
            assertThat(client.v1().events().inNamespace("ns" + i).list().getItems()).hasSize(1);
        }
    }

    @Test
    void without_the_report_crd_only_events_are_written() throws Exception {
        store("ns2", "hwcloud", "www.huaweicloud.com", 443, "2024-01-01T00:00:00Z");
        store("ns1", "github", "github.com", 443, "2025-01-01T00:00:00Z");
        AuditPublisher publisher = publisher(ReportKind.OPENREPORTS, 100);
        publisher.start();
        assertThat(publisher.reportsAvailable()).isFalse();
        PublishedReports.drain(server);
        assertThat(publisher.publish(runner.run())).isFalse();
        assertThat(PublishedReports.writes(server)).singleElement().satisfies(w -> assertThat(w).startsWith("POST /api/v1/namespaces/ns1/events"));
    }

    private AuditPublisher publisher(ReportKind kind, int budget) {
        AuditMetrics metrics = new AuditMetrics(registry);
        return new AuditPublisher(client, kind, "networking.istio.io/v1", budget, "test-leader",
                new AuditPublisher.Recorder() {
                    @Override
                    public void reportWritten(String operation) {
                        metrics.written("report", operation);
                    }

                    @Override
                    public void eventRecorded() {
                        metrics.written("event", "create");
                    }

                    @Override
                    public void writeFailed(String what) {
                        metrics.writeFailed(what);
                    }
                });
    }

    /** Discovery answers for the report kind, as it does once its CRD is installed. */
    private static void serveReports(ReportKind kind) {
        server.expect().get().withPath("/apis/" + kind.apiVersion()).andReturn(200, new APIResourceListBuilder()
                .withGroupVersion(kind.apiVersion())
                .withResources(new APIResourceBuilder().withName(kind.plural).withKind(kind.kind).withNamespaced(true)
                        .withVerbs("get", "list", "create", "update", "delete").build())
                .build()).always();
    }

    /** A TCP entry without addresses, created through the API and filed in the index as the informer would. */
    private void store(String namespace, String name, String host, int port, String created) {
        GenericKubernetesResource entry = new GenericKubernetesResource();
        entry.setApiVersion("networking.istio.io/v1");
        entry.setKind("ServiceEntry");
        entry.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .build());
        entry.setAdditionalProperty("spec", Map.of("hosts", List.of(host),
                "ports", List.of(Map.of("number", port, "name", "tcp", "protocol", "TCP")), "resolution", "DNS"));
        GenericKubernetesResource stored = client.genericKubernetesResources(ENTRIES).inNamespace(namespace)
                .resource(entry).create();
        JsonNode tree = JSON.valueToTree(stored);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.path("metadata")).put("creationTimestamp", created);
        index.confirm(ServiceEntryReader.read(tree, namespace, System.currentTimeMillis()));
    }

    private void remove(String namespace, String name) {
        client.genericKubernetesResources(ENTRIES).inNamespace(namespace).withName(name).delete();
        index.remove(new EntryKey(namespace, name));
    }

    private static GenericKubernetesResource entry(String namespace, String name) {
        return client.genericKubernetesResources(ENTRIES).inNamespace(namespace).withName(name).get();
    }

    private static GenericKubernetesResource report(ReportKind kind, String namespace, String entry) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace)
                .withName(AuditPublisher.reportName(entry)).get();
    }
}
