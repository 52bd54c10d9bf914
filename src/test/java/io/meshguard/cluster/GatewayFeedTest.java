package io.meshguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.gateway.GatewayReview;
import io.meshguard.rules.gateway.VirtualServiceReview;
import io.meshguard.testing.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GatewayFeed against fabric8's mock API server in CRUD mode: Gateways and VirtualServices created or deleted
 * through the API reach the index and take part in the next review.
 */
@EnableKubernetesMockClient(crud = true)
class GatewayFeedTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    static KubernetesMockServer server;
    static KubernetesClient client;

    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private GatewayIndex index;
    private GatewayFeed feed;

    @BeforeEach
    void setUp() {
        server.reset();
        index = new GatewayIndex(now::get, 30_000);
        feed = new GatewayFeed(client, index, "v1", now::get);
    }

    @AfterEach
    void tearDown() {
        feed.close();
    }

    static ObjectNode gateway(String namespace, String name) {
        ObjectNode gateway = JSON.createObjectNode();
        gateway.put("apiVersion", "networking.istio.io/v1").put("kind", "Gateway");
        gateway.putObject("metadata").put("name", name).put("namespace", namespace)
                .put("creationTimestamp", "2025-01-01T00:00:00Z");
        ObjectNode spec = gateway.putObject("spec");
        spec.putObject("selector").put("istio", "ingressgateway");
        ObjectNode server = spec.putArray("servers").addObject();
        server.putObject("port").put("number", 80).put("name", "http").put("protocol", "HTTP");
        server.putArray("hosts").add("*");
        return gateway;
    }

    static ObjectNode virtualService(String namespace, String name, String gatewayRef) {
        ObjectNode vs = JSON.createObjectNode();
        vs.put("apiVersion", "networking.istio.io/v1").put("kind", "VirtualService");
        vs.putObject("metadata").put("name", name).put("namespace", namespace);
        ObjectNode spec = vs.putObject("spec");
        spec.putArray("hosts").add("*");
        spec.putArray("gateways").add(gatewayRef);
        return vs;
    }

    private GenericKubernetesResource create(String kind, ObjectNode object) {
        GenericKubernetesResource resource =
                client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
        return client.genericKubernetesResources(IstioKinds.context(kind, "v1"))
                .inNamespace(resource.getMetadata().getNamespace()).resource(resource).create();
    }

    private void startAndSync() {
        feed.start();
        Await.until("both informers synced", DEADLINE, feed::hasSynced);
    }

    @Test
    void a_gateway_created_through_the_api_makes_a_second_one_on_the_same_port_and_host_denied() {
        startAndSync();
        create("Gateway", gateway("default", "bookinfo-gateway"));
        Await.until("index holds default/bookinfo-gateway", DEADLINE, () -> index.gateways() == 1);

        ObjectNode second = gateway("shop", "shop-gateway");
        ((ObjectNode) second.get("metadata")).remove("creationTimestamp");
        Decision decision = index.atomically(snapshot -> GatewayReview.standard()
                .review(GatewayReader.read(second, null, now.get()), null, snapshot));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.denials()).extracting(Finding::other)
                .containsExactly(new EntryKey("default", "bookinfo-gateway"));
    }

    @Test
    void a_deleted_gateway_leaves_the_index_and_its_virtual_service_is_warned_about() {
        startAndSync();
        GenericKubernetesResource created = create("Gateway", gateway("default", "bookinfo-gateway"));
        create("VirtualService", virtualService("default", "bookinfo", "bookinfo-gateway"));
        Await.until("index holds the Gateway and the VirtualService", DEADLINE,
                () -> index.gateways() == 1 && index.virtualServices() == 1);

        client.genericKubernetesResources(IstioKinds.context("Gateway", "v1")).inNamespace("default")
                .resource(created).delete();
        Await.until("the Gateway left the index", DEADLINE, () -> index.gateways() == 0);

        Decision decision = index.atomically(snapshot -> new VirtualServiceReview().review(
                VirtualServiceBindingReader.read(virtualService("default", "bookinfo", "bookinfo-gateway"), null,
                        now.get()), snapshot));
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.warnings()).extracting(Finding::code).containsExactly("GatewayNotFound");
    }

    @Test
    void an_unreadable_gateway_is_not_indexed() {
        startAndSync();
        ObjectNode broken = gateway("default", "broken");
        ((ObjectNode) broken.get("spec")).put("servers", "not a list");
        create("Gateway", broken);
        create("Gateway", gateway("default", "fine"));
        Await.until("the readable Gateway is indexed", DEADLINE, () -> index.gateways() == 1);
        boolean indexed = index.atomically(s -> s.gateway(new EntryKey("default", "broken")) != null);
        assertThat(indexed).isFalse();
    }
}
