package io.meshguard.server;

import io.meshguard.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.meshguard.cluster.IstioKinds;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The whole application in cluster mode against fabric8's CRUD mock API server (write path {@code update},
 * since the mock has no server-side apply): every informer starts, this replica wins the Lease, the controller
 * writes the companions of an entry created through the API, and {@code /mutate} plans with the cluster's
 * VirtualServices.
 */
@QuarkusTest
@TestProfile(ClusterModeCompanionsTest.ClusterMode.class)
class ClusterModeCompanionsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ResourceDefinitionContext ENTRIES = IstioKinds.context("ServiceEntry", "v1");
    static final ResourceDefinitionContext VIRTUAL_SERVICES =
            IstioKinds.context("VirtualService", "v1");

    public static class ClusterMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshguard.mode", "cluster",
                    "meshguard.companions.controller.write-path", "update",
                    "meshguard.companions.controller.lease-namespace", "meshguard",
                    "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MockApiServer.class));
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MockClientProducer.class);
        }
    }

    /** The Kubernetes client settings are fixed at build time, so the mock's client is handed in as a bean. */
    @Alternative
    @ApplicationScoped
    public static class MockClientProducer {
        @Produces
        @Singleton
        KubernetesClient kubernetesClient() {
            return MockApiServer.client;
        }
    }

    /** A CRUD-mode mock API server for the application's Kubernetes client. */
    public static class MockApiServer implements QuarkusTestResourceLifecycleManager {
        static KubernetesMockServer server;
        static KubernetesClient client;

        @Override
        public Map<String, String> start() {
            Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
            server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), responses,
                    new KubernetesMixedDispatcher(responses), false);
            server.init();
            client = server.createClient();
            return Map.of();
        }

        @Override
        public void stop() {
            client.close();
            server.destroy();
        }
    }

    @Test
    void the_elected_controller_writes_companions_and_mutate_sees_the_clusters_virtualservices() {
        await("ready once the informers have listed", () -> Https.given().get("/q/health/ready").statusCode() == 200);
        KubernetesClient api = MockApiServer.client;

        api.genericKubernetesResources(ENTRIES).inNamespace("dev").resource(resource(
                "{\"apiVersion\":\"networking.istio.io/v1\",\"kind\":\"ServiceEntry\",\"metadata\":{\"name\":\"codecommit\","
                        + "\"namespace\":\"dev\"},\"spec\":{\"hosts\":[\"git-codecommit.eu-west-1.amazonaws.com\"],"
                        + "\"ports\":[{\"number\":443,\"name\":\"https\",\"protocol\":\"HTTPS\"}],\"resolution\":\"DNS\"}}"))
                .create();
        await("the controller wrote dev/codecommit-sni", () -> api.genericKubernetesResources(VIRTUAL_SERVICES)
                .inNamespace("dev").withName("codecommit-sni").get() != null);
        assertThat(api.leases().inNamespace("meshguard").withName("meshguard-companions").get().getSpec()
                .getHolderIdentity()).as("this replica holds the Lease").isNotEmpty();

        api.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("platform").resource(resource(
                "{\"apiVersion\":\"networking.istio.io/v1\",\"kind\":\"VirtualService\",\"metadata\":{\"name\":\"github\","
                        + "\"namespace\":\"platform\"},\"spec\":{\"hosts\":[\"github.com\"]}}")).create();
        String github = Reviews.serviceEntry("v1", "cm-1", "CREATE", "ci", "github",
                "{\"hosts\":[\"github.com\"],\"ports\":[{\"number\":443,\"protocol\":\"TLS\"}],\"resolution\":\"DNS\"}");
        await("/mutate plans around the hand-written VirtualService", () -> tree(Https.review(github).post("/mutate")
                .then().statusCode(200).extract().asString()).path("response").has("warnings"));
        JsonNode response = tree(Https.review(github).post("/mutate").then().extract().asString()).path("response");
        assertThat(response.has("patch")).as("nothing planned, nothing recorded").isFalse();
        assertThat(response.path("warnings").get(0).asText()).contains("VirtualService platform/github");

        String codecommit = Reviews.serviceEntry("v1", "cm-2", "CREATE", "dev", "codecommit2",
                "{\"hosts\":[\"git-codecommit.eu-west-2.amazonaws.com\"],\"ports\":[{\"number\":443,\"protocol\":\"TLS\"}]}");
        JsonNode patch = tree(new String(Base64.getDecoder().decode(tree(Https.review(codecommit).post("/mutate")
                .then().statusCode(200).extract().asString()).path("response").path("patch").asText())));
        assertThat(patch.get(0).path("value").path("meshguard.io/companions").asText())
                .isEqualTo("VirtualService/codecommit2-sni");
    }

    private static GenericKubernetesResource resource(String json) {
        return MockApiServer.client.getKubernetesSerialization().convertValue(tree(json), GenericKubernetesResource.class);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(30), condition);
    }
}
