package io.meshguard.audit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshguard.audit.AuditFinding;
import io.meshguard.audit.AuditMetrics;
import io.meshguard.audit.AuditResult;
import io.meshguard.audit.AuditRunner;
import io.meshguard.audit.Auditor;
import io.meshguard.audit.GatewayAuditor;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.rules.ServiceEntryReview;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The audit of Gateways and VirtualServices that were in the cluster before meshguard, against fabric8's mock API
 * server in CRUD mode, as {@link AuditPublisherTest} does for ServiceEntries: seed 002's Gateway and a second one on
 * its workload, port and host (IST0145), and a VirtualService bound to a Gateway that does not exist (IST0101). The
 * losing Gateway gets a report owned by it and an Event; the VirtualService is counted as a warning, with no report.
 */
@EnableKubernetesMockClient(crud = true)
class GatewayAuditPublisherTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext GATEWAYS = context("Gateway", "gateways");
    static final ResourceDefinitionContext VIRTUAL_SERVICES = context("VirtualService", "virtualservices");
    static final ResourceDefinitionContext ENTRIES = context("ServiceEntry", "serviceentries");

    static KubernetesMockServer server;
    static KubernetesClient client;

    private ServiceEntryIndex entries;
    private GatewayIndex gateways;
    private SimpleMeterRegistry registry;
    private AuditRunner runner;

    static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1")
                .withKind(kind).withPlural(plural).withNamespaced(true).build();
    }

    @BeforeEach
    void reset() throws InterruptedException {
        server.reset();
        PublishedReports.drain(server);
        entries = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        gateways = new GatewayIndex(System::currentTimeMillis, 30_000);
        registry = new SimpleMeterRegistry();
        runner = new AuditRunner(entries, new Auditor(ServiceEntryReview.standard()), gateways,
                GatewayAuditor.standard(), new AuditMetrics(registry), System::currentTimeMillis,
                Duration.ofMinutes(10), Duration.ofSeconds(1));
    }

    @Test
    void a_gateway_conflict_gets_a_report_on_the_loser_an_event_and_metrics_and_a_dangling_vs_a_warning()
            throws Exception {
        serveReports(ReportKind.OPENREPORTS);
        storeGateway("default", "bookinfo-gateway", "2024-01-01T00:00:00Z");
        storeGateway("shop", "shop-gateway", "2025-01-01T00:00:00Z");
        storeVirtualService("canary", "bookinfo-canary", "bookinfo-gateway");
        AuditPublisher publisher = publisher(ReportKind.OPENREPORTS, 100);

        AuditResult result = runner.run();
        assertThat(result.gateways()).isEqualTo(2);
        assertThat(result.virtualServices()).isEqualTo(1);
        assertThat(result.findings()).extracting(f -> f.kind() + " " + f.entry() + " " + f.code() + " " + f.severity())
                .containsExactly("Gateway shop/shop-gateway ConflictingGateways deny",
                        "VirtualService canary/bookinfo-canary GatewayNotFound warn");
        assertThat(publisher.publish(result)).as("nothing left for later").isFalse();

        GenericKubernetesResource report = report("shop", "gateway-shop-gateway");
        assertThat(report).as("the loser's report").isNotNull();
        assertThat(report("default", "gateway-bookinfo-gateway")).as("the keeper has none").isNull();
        assertThat(report("canary", "virtualservice-bookinfo-canary")).as("a warning has no report").isNull();
        String shopUid = client.genericKubernetesResources(GATEWAYS).inNamespace("shop").withName("shop-gateway").get()
                .getMetadata().getUid();
        assertThat(shopUid).isNotBlank();
        assertThat(report.getMetadata().getLabels()).containsEntry(AuditPublisher.GATEWAY_LABEL, "shop-gateway");
        PublishedReports.assertOwnedBy(report, "Gateway", "shop-gateway", shopUid);
        JsonNode body = JSON.valueToTree(report);
        assertThat(body.path("scope").path("kind").asText()).isEqualTo("Gateway");
        assertThat(body.path("scope").path("uid").asText()).isEqualTo(shopUid);
        JsonNode finding = body.path("results").get(0);
        assertThat(finding.path("policy").asText()).isEqualTo("ConflictingGateways");
        assertThat(finding.path("category").asText()).isEqualTo("Istio gateways");
        assertThat(finding.path("rule").asText()).isEqualTo("port 80");
        assertThat(finding.path("properties").path("otherEntry").asText()).isEqualTo("default/bookinfo-gateway");
        assertThat(finding.path("properties").path("workload").asText()).isEqualTo("istio=ingressgateway");
        assertThat(finding.path("properties").path("keptBy").asText()).isEqualTo("default/bookinfo-gateway (older)");

        assertThat(client.v1().events().inNamespace("shop").list().getItems()).singleElement().satisfies(event -> {
            assertThat(event.getType()).isEqualTo("Warning");
            assertThat(event.getReason()).isEqualTo("ConflictingGateways");
            assertThat(event.getInvolvedObject().getKind()).isEqualTo("Gateway");
            assertThat(event.getInvolvedObject().getName()).isEqualTo("shop-gateway");
            assertThat(event.getInvolvedObject().getUid()).isEqualTo(shopUid);
            assertThat(event.getMessage()).contains("default/bookinfo-gateway keeps it");
        });
        assertThat(client.v1().events().inNamespace("default").list().getItems()).isEmpty();
        assertThat(client.v1().events().inNamespace("canary").list().getItems()).isEmpty();

        assertThat(gauge("ConflictingGateways", "deny")).isEqualTo(1);
        assertThat(gauge("GatewayNotFound", "warn")).isEqualTo(1);
        assertThat(registry.get("meshguard.audit.gateways").gauge().value()).isEqualTo(2);
        assertThat(registry.get("meshguard.audit.virtualservices").gauge().value()).isEqualTo(1);

        PublishedReports.drain(server);
        assertThat(publisher.publish(runner.run())).isFalse();
        assertThat(PublishedReports.writes(server)).as("a second scan with no change writes nothing").isEmpty();

        PublishedReports.drain(server);
        AuditPublisher next = publisher(ReportKind.OPENREPORTS, 100);
        next.start();
        assertThat(next.publish(runner.run())).isFalse();
        assertThat(PublishedReports.writes(server)).as("a new leader reads the Gateway's report back").isEmpty();

        client.genericKubernetesResources(GATEWAYS).inNamespace("default").withName("bookinfo-gateway").delete();
        gateways.removeGateway(new EntryKey("default", "bookinfo-gateway"));
        AuditResult after = runner.fresh();
        assertThat(after.findings()).as("the index changed, so GET /audit runs again")
                .extracting(AuditFinding::code).containsExactly("GatewayNotFound");
        assertThat(next.publish(after)).isFalse();
        assertThat(report("shop", "gateway-shop-gateway")).as("deleting the keeper clears the report").isNull();
        assertThat(gauge("ConflictingGateways", "deny")).isZero();
    }

    @Test
    void a_gateway_and_a_service_entry_of_one_name_get_a_report_each() throws Exception {
        serveReports(ReportKind.POLICYREPORT);
        storeGateway("shared", "edge", "2024-01-01T00:00:00Z");
        storeGateway("shared", "web", "2025-01-01T00:00:00Z");
        storeEntry("shared", "keeper", "keeper.example.com", "2024-01-01T00:00:00Z");
        storeEntry("shared", "web", "web.example.com", "2025-01-01T00:00:00Z");
        AuditPublisher publisher = publisher(ReportKind.POLICYREPORT, 100);

        assertThat(publisher.publish(runner.run())).isFalse();

        GenericKubernetesResource entryReport = client.genericKubernetesResources(ReportKind.POLICYREPORT.context())
                .inNamespace("shared").withName(AuditPublisher.reportName("web")).get();
        GenericKubernetesResource gatewayReport = client.genericKubernetesResources(
                ReportKind.POLICYREPORT.context()).inNamespace("shared").withName(AuditPublisher.reportName(
                        new AuditFinding.Subject("Gateway", new EntryKey("shared", "web")))).get();
        assertThat(entryReport.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("ServiceEntry");
        assertThat(gatewayReport.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Gateway");
        assertThat(gatewayReport.getMetadata().getName()).isEqualTo("meshguard-gateway-web");
        assertThat(client.v1().events().inNamespace("shared").list().getItems()).extracting(Event::getReason)
                .containsExactlyInAnyOrder("ListenerCollision", "ConflictingGateways");
    }

    @Test
    void a_report_name_taken_by_another_object_is_neither_overwritten_nor_deleted() throws Exception {
        serveReports(ReportKind.OPENREPORTS);
        storeGateway("shared", "edge", "2024-01-01T00:00:00Z");
        storeGateway("shared", "web", "2025-01-01T00:00:00Z");
        storeEntry("shared", "keeper", "keeper.example.com", "2024-01-01T00:00:00Z");
        storeEntry("shared", "gateway-web", "web.example.com", "2025-01-01T00:00:00Z");
        AuditPublisher publisher = publisher(ReportKind.OPENREPORTS, 100);

        assertThat(publisher.publish(runner.run())).isFalse();

        GenericKubernetesResource report = report("shared", "gateway-web");
        assertThat(report.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).as("the ServiceEntry gateway-web's, written first").isEqualTo("ServiceEntry");
            assertThat(owner.getName()).isEqualTo("gateway-web");
        });
        assertThat(client.v1().events().inNamespace("shared").list().getItems()).extracting(Event::getReason)
                .as("both still get their Event").containsExactlyInAnyOrder("ListenerCollision", "ConflictingGateways");

        client.genericKubernetesResources(GATEWAYS).inNamespace("shared").withName("edge").delete();
        gateways.removeGateway(new EntryKey("shared", "edge"));
        assertThat(publisher.publish(runner.run())).isFalse();
        assertThat(report("shared", "gateway-web")).as("the Gateway's cleared finding deletes no other object's report")
                .isNotNull();
    }

    private double gauge(String rule, String severity) {
        return registry.get("meshguard.audit.findings").tag("rule", rule).tag("severity", severity).gauge().value();
    }

    private AuditPublisher publisher(ReportKind kind, int budget) {
        return new AuditPublisher(client, kind, "networking.istio.io/v1", budget, "test-leader",
                new AuditPublisher.Recorder() {
                    @Override
                    public void reportWritten(String operation) {
                    }

                    @Override
                    public void eventRecorded() {
                    }

                    @Override
                    public void writeFailed(String what) {
                    }
                });
    }

    private static void serveReports(ReportKind kind) {
        server.expect().get().withPath("/apis/" + kind.apiVersion()).andReturn(200, new APIResourceListBuilder()
                .withGroupVersion(kind.apiVersion())
                .withResources(new APIResourceBuilder().withName(kind.plural).withKind(kind.kind).withNamespaced(true)
                        .withVerbs("get", "list", "create", "update", "delete").build())
                .build()).always();
    }

    /** Seed 002's Gateway shape (istio=ingressgateway, port 80 HTTP, host *), stored and filed as the informer would. */
    private void storeGateway(String namespace, String name, String created) {
        JsonNode tree = create(GATEWAYS, namespace, name, Map.of("selector", Map.of("istio", "ingressgateway"),
                "servers", List.of(Map.of("port", Map.of("number", 80, "name", "http", "protocol", "HTTP"),
                        "hosts", List.of("*")))), created);
        gateways.confirm(GatewayReader.read(tree, namespace, System.currentTimeMillis()));
    }

    private void storeVirtualService(String namespace, String name, String gateway) {
        JsonNode tree = create(VIRTUAL_SERVICES, namespace, name, Map.of("hosts", List.of("*"),
                "gateways", List.of(gateway)), "2025-06-01T00:00:00Z");
        gateways.putVirtualService(VirtualServiceBindingReader.read(tree, namespace, System.currentTimeMillis()));
    }

    /** A TCP entry on port 80 without addresses: two of them collide on 0.0.0.0_80. */
    private void storeEntry(String namespace, String name, String host, String created) {
        JsonNode tree = create(ENTRIES, namespace, name, Map.of("hosts", List.of(host),
                "ports", List.of(Map.of("number", 80, "name", "tcp", "protocol", "TCP")), "resolution", "DNS"),
                created);
        entries.confirm(ServiceEntryReader.read(tree, namespace, System.currentTimeMillis()));
    }

    private static JsonNode create(ResourceDefinitionContext context, String namespace, String name,
            Map<String, Object> spec, String created) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        object.setApiVersion("networking.istio.io/v1");
        object.setKind(context.getKind());
        object.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        object.setAdditionalProperty("spec", spec);
        GenericKubernetesResource stored = client.genericKubernetesResources(context).inNamespace(namespace)
                .resource(object).create();
        JsonNode tree = JSON.valueToTree(stored);
        ((ObjectNode) tree.path("metadata")).put("creationTimestamp", created);
        return tree;
    }

    private static GenericKubernetesResource report(String namespace, String name) {
        return client.genericKubernetesResources(ReportKind.OPENREPORTS.context()).inNamespace(namespace)
                .withName(AuditPublisher.reportName(name)).get();
    }
}
