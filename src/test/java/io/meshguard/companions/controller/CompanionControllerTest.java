package io.meshguard.companions.controller;

import io.meshguard.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshguard.cluster.CompanionInformers;
import io.meshguard.cluster.IstioKinds;
import io.meshguard.cluster.KubernetesEvents;
import io.meshguard.cluster.UpdateWriter;
import io.meshguard.cluster.VirtualServiceFeed;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.index.VirtualServiceIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The companion controller against fabric8's mock API server in CRUD mode, through the create/update write
 * path (the mock has no server-side apply): what the API holds after entries are created, edited and deleted,
 * after someone edits a companion, after a hand-written VirtualService appears and goes, and while the API
 * server refuses writes.
 */
@EnableKubernetesMockClient(crud = true)
class CompanionControllerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext ENTRIES =
            IstioKinds.context("ServiceEntry", "v1");
    private static final ResourceDefinitionContext VIRTUAL_SERVICES =
            IstioKinds.context("VirtualService", "v1");
    private static final ResourceDefinitionContext GATEWAYS = IstioKinds.context("Gateway", "v1");

    static KubernetesMockServer server;
    static KubernetesClient client;

    private SharedIndexInformer<GenericKubernetesResource> entries;
    private VirtualServiceFeed virtualServices;
    private CompanionController controller;

    @BeforeEach
    void start() throws InterruptedException {
        server.reset();
        while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // forget the requests of earlier tests
        }
        entries = client.genericKubernetesResources(ENTRIES).inAnyNamespace().runnableInformer(0);
        entries.start();
        virtualServices = new VirtualServiceFeed(client, new VirtualServiceIndex(), "v1");
        virtualServices.start();
        CompanionInformers informers = new CompanionInformers(client, entries, virtualServices.informer(),
                () -> MeshConfig.DEFAULT, "networking.istio.io/v1");
        controller = new CompanionController(informers.cache(), informers,
                new CompanionPlanner(CompanionSettings.DEFAULT), new UpdateWriter(client), new KubernetesEvents(client),
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)));
        controller.start();
        await("informers synced", () -> entries.hasSynced() && virtualServices.hasSynced() && controller.hasSynced());
    }

    @AfterEach
    void stop() {
        controller.close();
        virtualServices.close();
        entries.close();
    }

    @Test
    void a_created_entry_gets_its_sni_virtualservice_owned_and_labelled() {
        GenericKubernetesResource github = create(ENTRIES, entry("ns1", "github", "github.com", 443, "TLS", Map.of()));

        JsonNode vs = awaitObject(VIRTUAL_SERVICES, "ns1", "github-sni");

        assertThat(vs.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
                .isEqualTo("meshguard");
        JsonNode owner = vs.path("metadata").path("ownerReferences").get(0);
        assertThat(owner.path("uid").asText()).as("owned by the persisted entry")
                .isNotEmpty().isEqualTo(github.getMetadata().getUid());
        assertThat(owner.path("controller").asBoolean()).isTrue();
        assertThat(owner.path("blockOwnerDeletion").asBoolean(true)).isFalse();
        assertThat(vs.path("spec").path("tls").get(0).path("match").get(0).path("sniHosts").get(0).asText())
                .isEqualTo("github.com");
    }

    @Test
    void an_entry_edited_to_use_the_egress_gateway_loses_its_sni_virtualservice_and_gets_the_pair() {
        create(ENTRIES, entry("news", "cnn", "edition.cnn.com", 443, "TLS", Map.of()));
        awaitObject(VIRTUAL_SERVICES, "news", "cnn-sni");

        GenericKubernetesResource cnn = get(ENTRIES, "news", "cnn");
        cnn.getMetadata().setAnnotations(Map.of("meshguard.io/egress-gateway", ""));
        client.genericKubernetesResources(ENTRIES).inNamespace("news").resource(cnn).update();

        JsonNode gateway = awaitObject(GATEWAYS, "news", "cnn-egress");
        assertThat(gateway.path("spec").path("servers").get(0).path("tls").path("mode").asText())
                .isEqualTo("PASSTHROUGH");
        awaitObject(VIRTUAL_SERVICES, "news", "cnn-egress");
        await("the SNI VirtualService is deleted", () -> get(VIRTUAL_SERVICES, "news", "cnn-sni") == null);

        GenericKubernetesResource edited = get(ENTRIES, "news", "cnn");
        edited.getMetadata().setAnnotations(Map.of());
        client.genericKubernetesResources(ENTRIES).inNamespace("news").resource(edited).update();

        awaitObject(VIRTUAL_SERVICES, "news", "cnn-sni");
        await("the egress pair is deleted once the annotation is removed",
                () -> get(GATEWAYS, "news", "cnn-egress") == null && get(VIRTUAL_SERVICES, "news", "cnn-egress") == null);
    }

    @Test
    void a_deleted_entry_takes_its_companions_with_it() {
        create(ENTRIES, entry("test", "baidu", "www.baidu.com", 80, "HTTP", Map.of("meshguard.io/egress-gateway", "")));
        awaitObject(GATEWAYS, "test", "baidu-egress");
        awaitObject(VIRTUAL_SERVICES, "test", "baidu-egress");

        client.genericKubernetesResources(ENTRIES).inNamespace("test").withName("baidu").delete();

        await("both companions are deleted",
                () -> get(GATEWAYS, "test", "baidu-egress") == null && get(VIRTUAL_SERVICES, "test", "baidu-egress") == null);
    }

    @Test
    void a_hand_edited_companion_is_reverted_and_labels_others_added_are_kept() {
        create(ENTRIES, entry("ns1", "gitlab", "gitlab.com", 443, "TLS", Map.of()));
        JsonNode original = awaitObject(VIRTUAL_SERVICES, "ns1", "gitlab-sni");

        GenericKubernetesResource edited = get(VIRTUAL_SERVICES, "ns1", "gitlab-sni");
        ObjectNode spec = JSON.valueToTree(edited.getAdditionalProperties().get("spec"));
        ((ObjectNode) spec.path("tls").get(0).path("route").get(0)).put("weight", 10);
        edited.getAdditionalProperties().put("spec", JSON.convertValue(spec, Map.class));
        edited.getMetadata().getLabels().put("team", "git");
        client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("ns1").resource(edited).update();

        await("the weight is back to 100", () -> json(get(VIRTUAL_SERVICES, "ns1", "gitlab-sni")).path("spec")
                .equals(original.path("spec")));
        assertThat(get(VIRTUAL_SERVICES, "ns1", "gitlab-sni").getMetadata().getLabels())
                .containsEntry("team", "git").containsEntry("app.kubernetes.io/managed-by", "meshguard");
    }

    @Test
    void a_hand_written_virtualservice_makes_the_sni_virtualservice_give_way_with_an_event_and_come_back_after() {
        create(ENTRIES, entry("ns1", "codecommit", "git-codecommit.eu-west-1.amazonaws.com", 443, "HTTPS", Map.of()));
        awaitObject(VIRTUAL_SERVICES, "ns1", "codecommit-sni");

        ObjectNode handWritten = JSON.createObjectNode();
        handWritten.put("apiVersion", "networking.istio.io/v1").put("kind", "VirtualService");
        handWritten.putObject("metadata").put("name", "codecommit-routes").put("namespace", "platform");
        handWritten.putObject("spec").putArray("hosts").add("git-codecommit.eu-west-1.amazonaws.com");
        create(VIRTUAL_SERVICES, handWritten);

        await("the SNI VirtualService is deleted", () -> get(VIRTUAL_SERVICES, "ns1", "codecommit-sni") == null);
        await("an Event on the entry says why", () -> events("ns1").stream()
                .anyMatch(e -> e.getReason().equals(CompanionController.YIELDED_REASON)));
        Event event = events("ns1").stream().filter(e -> e.getReason().equals(CompanionController.YIELDED_REASON))
                .findFirst().orElseThrow();
        assertThat(event.getInvolvedObject().getName()).isEqualTo("codecommit");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("ServiceEntry");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo(get(ENTRIES, "ns1", "codecommit").getMetadata().getUid());
        assertThat(event.getMessage()).contains("VirtualService/codecommit-sni")
                .contains("VirtualService platform/codecommit-routes already routes it on mesh");
        assertThat(get(VIRTUAL_SERVICES, "platform", "codecommit-routes")).as("the hand-written one is untouched")
                .isNotNull();

        client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("platform").withName("codecommit-routes")
                .delete();

        awaitObject(VIRTUAL_SERVICES, "ns1", "codecommit-sni");
    }

    /** A refusal fabric8 does not retry itself (it retries 5xx on its own): 403, as before RBAC is bound. */
    @Test
    void refused_writes_are_retried_with_backoff_until_the_api_server_accepts_them() throws Exception {
        String path = "/apis/networking.istio.io/v1/namespaces/retry/virtualservices";
        server.expect().post().withPath(path)
                .andReturn(403, "{\"kind\":\"Status\",\"code\":403,\"reason\":\"Forbidden\"}").times(3);

        create(ENTRIES, entry("retry", "github", "github.com", 443, "TLS", Map.of()));

        await("the refusals are counted", () -> controller.failures(new EntryKey("retry", "github")) >= 2);
        awaitObject(VIRTUAL_SERVICES, "retry", "github-sni");
        await("the success resets the count", () -> controller.failures(new EntryKey("retry", "github")) == 0);
        long posts = 0;
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            if (request.getMethod().equals("POST") && request.getPath().equals(path)) {
                posts++;
            }
        }
        assertThat(posts).as("three refused creates, then the one that worked").isEqualTo(4);
    }

    @Test
    void a_write_that_races_another_writer_is_read_again_and_retried() {
        create(ENTRIES, entry("race", "github", "github.com", 443, "TLS", Map.of()));
        awaitObject(VIRTUAL_SERVICES, "race", "github-sni");
        server.expect().put().withPath("/apis/networking.istio.io/v1/namespaces/race/virtualservices/github-sni")
                .andReturn(409, "{\"kind\":\"Status\",\"code\":409,\"reason\":\"Conflict\"}").once();

        // A PATCH, so that the one PUT, the one refused, is the controller's.
        client.genericKubernetesResources(VIRTUAL_SERVICES).inNamespace("race").withName("github-sni").edit(vs -> {
            vs.getAdditionalProperties().put("spec", Map.of("hosts", List.of("github.com")));
            return vs;
        });

        await("reverted despite the conflict", () -> json(get(VIRTUAL_SERVICES, "race", "github-sni")).path("spec")
                .has("tls"));
        assertThat(controller.failures(new EntryKey("race", "github"))).as("the writer absorbed the 409").isZero();
    }

    // --- helpers -----------------------------------------------------------------------------------

    static ObjectNode entry(String namespace, String name, String host, int port, String protocol,
            Map<String, String> annotations) {
        ObjectNode object = JSON.createObjectNode();
        object.put("apiVersion", "networking.istio.io/v1").put("kind", "ServiceEntry");
        ObjectNode metadata = object.putObject("metadata").put("name", name).put("namespace", namespace);
        if (!annotations.isEmpty()) {
            metadata.set("annotations", JSON.valueToTree(annotations));
        }
        ObjectNode spec = object.putObject("spec");
        spec.putArray("hosts").add(host);
        spec.putArray("ports").addObject().put("number", port).put("name", "p").put("protocol", protocol);
        spec.put("resolution", "DNS");
        return object;
    }

    private GenericKubernetesResource create(ResourceDefinitionContext context, ObjectNode object) {
        GenericKubernetesResource resource =
                client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
        return client.genericKubernetesResources(context).inNamespace(resource.getMetadata().getNamespace())
                .resource(resource).create();
    }

    private GenericKubernetesResource get(ResourceDefinitionContext context, String namespace, String name) {
        return client.genericKubernetesResources(context).inNamespace(namespace).withName(name).get();
    }

    private JsonNode awaitObject(ResourceDefinitionContext context, String namespace, String name) {
        await(context.getKind() + " " + namespace + "/" + name + " exists", () -> get(context, namespace, name) != null);
        return json(get(context, namespace, name));
    }

    private List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    private JsonNode json(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, JsonNode.class);
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, DEADLINE, condition);
    }
}
