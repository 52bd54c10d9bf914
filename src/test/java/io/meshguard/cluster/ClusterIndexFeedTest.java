package io.meshguard.cluster;

import io.meshguard.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.Operation;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClusterIndexFeed against fabric8's mock API server in CRUD mode: what is created, deleted or changed
 * through the API reaches the index through the informers and so takes part in the next decision.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterIndexFeedTest {

    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final long TTL_MILLIS = 30_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ResourceDefinitionContext SERVICE_ENTRIES = IstioKinds.context("ServiceEntry", "v1");
    private static final ClusterIndexFeed.Source SOURCE =
            new ClusterIndexFeed.Source("v1", "istio-system", "istio", "mesh");

    /**
     * Injected once by the extension: one CRUD-mode mock API server for the class, emptied before each
     * test (a server per test costs about half a second each).
     */
    static KubernetesMockServer server;
    static KubernetesClient client;

    private AtomicLong now;
    private LongSupplier clock;
    private ServiceEntryIndex index;
    private Admission admission;
    private ClusterIndexFeed feed;

    @BeforeEach
    void setUp() throws InterruptedException {
        server.reset();
        while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // drop the requests of earlier tests so awaitWatches() sees only this test's watches
        }
        now = new AtomicLong(1_700_000_000_000L);
        clock = now::get;
        index = new ServiceEntryIndex(clock, TTL_MILLIS);
        AdmissionPipeline pipeline = AdmissionPipeline.validating(new AdmissionReviewCodec(JSON), List.of(
                IstioNetworking.serviceEntries(clock)
                        .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                                ServiceEntryIndexValidator.Learning.RESERVE))
                        .build()));
        admission = request -> pipeline.review(request).decision();
        feed = new ClusterIndexFeed(client, index, SOURCE, clock);
    }

    @AfterEach
    void tearDown() {
        feed.close();
    }

    // --- readiness ---------------------------------------------------------------------------------

    @Test
    void readiness_beforeStart_notSynced_afterStart_syncedOnceBothInformersListed() {
        assertThat(feed.hasSynced()).as("hasSynced() before start()").isFalse();
        assertThat(feed.millisSinceLastEvent()).as("no event seen before start()").isEqualTo(-1);

        feed.start();

        await("both informers synced", feed::hasSynced);
        awaitWatches();
    }

    // --- ServiceEntries through the API ------------------------------------------------------------

    @Test
    void apiCreate_hwcloudInNs2_thenCreateGithubInNs1_sameOpaquePort_isDeniedNamingNs2Hwcloud() {
        startAndSync();

        createViaApi(serviceEntry("ns2", "hwcloud", "hwcloud.example.com"));
        await("index holds ns2/hwcloud", () -> index.size() == 1);
        assertThat(feed.millisSinceLastEvent()).as("the add was recorded as an event").isGreaterThanOrEqualTo(0);

        Decision decision = admission.validate(create(serviceEntry("ns1", "github", "github.com")));

        assertThat(decision.allowed()).as("github collides with hwcloud on 0.0.0.0_443").isFalse();
        assertThat(decision.denials()).extracting(Finding::other).contains(new EntryKey("ns2", "hwcloud"));
        assertThat(decision.denials()).extracting(Finding::message)
                .anySatisfy(message -> assertThat(message).contains("ns2/hwcloud").contains("ns1/github"));
    }

    @Test
    void apiDelete_hwcloudRemovedFromIndex_thenCreateGithubInNs1_isAllowed() {
        startAndSync();
        GenericKubernetesResource hwcloud = createViaApi(serviceEntry("ns2", "hwcloud", "hwcloud.example.com"));
        await("index holds ns2/hwcloud", () -> index.size() == 1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns1", "github", "github.com"))).allowed())
                .as("github is denied while hwcloud exists").isFalse();

        client.genericKubernetesResources(SERVICE_ENTRIES).inNamespace("ns2").resource(hwcloud).delete();
        await("index no longer holds ns2/hwcloud", () -> index.size() == 0);

        Decision decision = admission.validate(create(serviceEntry("ns1", "github", "github.com")));
        assertThat(decision.allowed()).as("nothing left to collide with").isTrue();
        assertThat(decision.denials()).isEmpty();
    }

    @Test
    void apiUpdate_hwcloudMovedTo8443_thenCreateGithubInNs1On443_isAllowed() {
        startAndSync();
        GenericKubernetesResource hwcloud = createViaApi(serviceEntry("ns2", "hwcloud", "hwcloud.example.com"));
        await("index holds ns2/hwcloud", () -> index.size() == 1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns1", "github", "github.com"))).allowed())
                .as("github is denied while hwcloud is on 443").isFalse();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ports =
                (List<Map<String, Object>>) ((Map<String, Object>) hwcloud
                        .getAdditionalProperties().get("spec")).get("ports");
        ports.get(0).put("number", 8443);
        client.genericKubernetesResources(SERVICE_ENTRIES).inNamespace("ns2").resource(hwcloud).update();

        await("the update moved hwcloud off 443",
                () -> admission.validate(dryRunCreate(serviceEntry("ns1", "github", "github.com"))).allowed());
        assertThat(index.size()).as("still one entry, updated in place").isEqualTo(1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns1", "github8443", "github.com", 8443))).allowed())
                .as("hwcloud now holds 8443").isFalse();
    }

    @Test
    void apiCreate_unreadableEntry_isNotIndexed_andDoesNotStopLaterEntries() {
        startAndSync();
        ObjectNode broken = serviceEntry("ns2", "broken", "broken.example.com");
        ((ObjectNode) broken.path("spec").path("ports").get(0)).put("number", "not-a-number");
        createViaApi(broken);
        createViaApi(serviceEntry("ns2", "hwcloud", "hwcloud.example.com"));

        await("index holds ns2/hwcloud", () -> index.size() >= 1);
        assertThat(index.size()).as("only hwcloud is indexed; broken is skipped").isEqualTo(1);
    }

    // --- MeshConfig --------------------------------------------------------------------------------

    @Test
    void meshConfig_created_defaultServiceExportToOwnNamespace_indexMeshChanges() {
        startAndSync();
        assertThat(index.mesh()).as("no ConfigMap yet").isEqualTo(MeshConfig.DEFAULT);

        createMeshConfig("defaultServiceExportTo:\n- \".\"\n");

        await("index.mesh() follows the ConfigMap",
                () -> index.mesh().equals(new MeshConfig(List.of("."), false)));
        assertThat(index.mesh().defaultServiceExportTo()).containsExactly(".");
    }

    @Test
    void meshConfig_exportToOwnNamespace_twoEntriesOn443TcpInDifferentNamespaces_doNotCollide() {
        startAndSync();
        createViaApi(serviceEntry("ns2", "hwcloud", "hwcloud.example.com"));
        await("index holds ns2/hwcloud", () -> index.size() == 1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns1", "github", "github.com"))).allowed())
                .as("with the default mesh config (export everywhere) they collide").isFalse();

        createMeshConfig("defaultServiceExportTo:\n- \".\"\n");
        await("index.mesh() follows the ConfigMap", () -> index.mesh().defaultServiceExportTo().equals(List.of(".")));

        Decision decision = admission.validate(create(serviceEntry("ns1", "github", "github.com")));
        assertThat(decision.allowed()).as("no namespace sees both entries").isTrue();
        assertThat(decision.denials()).isEmpty();
    }

    @Test
    void meshConfig_deleted_indexFallsBackToDefault_andEntriesCollideAgain() {
        createMeshConfig("defaultServiceExportTo:\n- \".\"\n");
        startAndSync();
        await("index.mesh() read at start", () -> index.mesh().defaultServiceExportTo().equals(List.of(".")));
        createViaApi(serviceEntry("ns2", "hwcloud", "hwcloud.example.com"));
        await("index holds ns2/hwcloud", () -> index.size() == 1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns1", "github", "github.com"))).allowed())
                .as("exportTo '.' keeps them apart").isTrue();

        client.configMaps().inNamespace("istio-system").withName("istio").delete();

        await("index.mesh() back to default", () -> index.mesh().equals(MeshConfig.DEFAULT));
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns1", "github", "github.com"))).allowed())
                .as("exported everywhere again, they collide").isFalse();
    }

    // --- reservations ------------------------------------------------------------------------------

    @Test
    void reservation_allowedGithub_deniesGitlabWhileLive_allowsGitlabAfterTtlWithoutConfirmation() {
        startAndSync();

        Decision github = admission.validate(create(serviceEntry("ns1", "github", "github.com")));
        assertThat(github.allowed()).as("github is first").isTrue();
        assertThat(index.reservations()).as("github is reserved").isEqualTo(1);

        Decision gitlabWhileReserved = admission.validate(create(serviceEntry("ns3", "gitlab", "gitlab.com")));
        assertThat(gitlabWhileReserved.allowed()).as("gitlab collides with the reserved github").isFalse();
        assertThat(gitlabWhileReserved.denials()).extracting(Finding::other).contains(new EntryKey("ns1", "github"));

        now.addAndGet(TTL_MILLIS - 1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns3", "gitlab", "gitlab.com"))).allowed())
                .as("1 ms before the TTL the reservation still holds").isFalse();

        now.addAndGet(1);
        Decision gitlabAfterTtl = admission.validate(create(serviceEntry("ns3", "gitlab", "gitlab.com")));
        assertThat(gitlabAfterTtl.allowed()).as("github's reservation expired, never confirmed").isTrue();
        assertThat(gitlabAfterTtl.denials()).isEmpty();
    }

    @Test
    void reservation_informerConfirmsSameSpec_reservationDropped_githubStaysAfterTtl() {
        startAndSync();
        ObjectNode githubObject = serviceEntry("ns1", "github", "github.com");
        assertThat(admission.validate(create(githubObject)).allowed()).isTrue();
        assertThat(index.reservations()).as("github is reserved").isEqualTo(1);

        createViaApi(githubObject);

        await("the informer's add drops the reservation", () -> index.reservations() == 0);
        assertThat(index.size()).as("github is confirmed").isEqualTo(1);

        now.addAndGet(TTL_MILLIS + 1);

        Decision gitlab = admission.validate(create(serviceEntry("ns3", "gitlab", "gitlab.com")));
        assertThat(gitlab.allowed()).as("the confirmed github outlives the TTL").isFalse();
        assertThat(gitlab.denials()).extracting(Finding::other).contains(new EntryKey("ns1", "github"));
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void reservation_informerReportsDifferentSpec_reservationKeptUntilTtl() {
        startAndSync();
        assertThat(admission.validate(create(serviceEntry("ns1", "github", "github.com"))).allowed()).isTrue();

        // What the API server persisted differs from what was reviewed (another port): no match.
        ObjectNode persisted = serviceEntry("ns1", "github", "github.com");
        ((ObjectNode) persisted.path("spec").path("ports").get(0)).put("number", 8443);
        createViaApi(persisted);
        await("the informer reported ns1/github", () -> feed.millisSinceLastEvent() >= 0);

        assertThat(index.reservations()).as("a different spec does not confirm the reservation").isEqualTo(1);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns3", "gitlab", "gitlab.com"))).allowed())
                .as("the reserved spec (443) still counts").isFalse();

        now.addAndGet(TTL_MILLIS);
        assertThat(admission.validate(dryRunCreate(serviceEntry("ns3", "gitlab", "gitlab.com"))).allowed())
                .as("after the TTL the confirmed spec (8443) is what counts").isTrue();
        assertThat(index.reservations()).isZero();
        assertThat(index.size()).as("the confirmed github stays").isEqualTo(1);
    }

    // --- helpers -----------------------------------------------------------------------------------

    private void startAndSync() {
        feed.start();
        await("both informers synced", feed::hasSynced);
        awaitWatches();
    }

    /**
     * hasSynced() turns true once both lists are in, a moment before the watches open. Waiting for both
     * watch requests means a change made next is seen as a watch event (not left to the mock's replay), and
     * no informer is still opening its watch when the extension closes the client after the test.
     */
    private void awaitWatches() {
        Set<String> watching = new HashSet<>();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try {
            while (watching.size() < 2) {
                long left = deadline - System.nanoTime();
                RecordedRequest request = left > 0 ? server.takeRequest(left, TimeUnit.NANOSECONDS) : null;
                if (request == null) {
                    fail("timed out after " + DEADLINE.toSeconds() + " s waiting for both watches; saw " + watching);
                }
                String path = request.getPath();
                if (path.contains("watch=true")) {
                    watching.add(path.contains("/serviceentries") ? "serviceentries" : "configmaps");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while waiting for the watches");
        }
    }

    private static ObjectNode serviceEntry(String namespace, String name, String host) {
        return serviceEntry(namespace, name, host, 443);
    }

    private static ObjectNode serviceEntry(String namespace, String name, String host, int portNumber) {
        ObjectNode object = JSON.createObjectNode();
        object.put("apiVersion", "networking.istio.io/v1");
        object.put("kind", "ServiceEntry");
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        ObjectNode spec = object.putObject("spec");
        spec.putArray("hosts").add(host);
        ObjectNode port = spec.putArray("ports").addObject();
        port.put("number", portNumber);
        port.put("name", "tcp");
        port.put("protocol", "TCP");
        spec.put("location", "MESH_EXTERNAL");
        spec.put("resolution", "DNS");
        return object;
    }

    private GenericKubernetesResource createViaApi(ObjectNode object) {
        GenericKubernetesResource resource =
                client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
        return client.genericKubernetesResources(SERVICE_ENTRIES)
                .inNamespace(resource.getMetadata().getNamespace())
                .resource(resource)
                .create();
    }

    private void createMeshConfig(String meshYaml) {
        client.configMaps().inNamespace("istio-system").resource(new ConfigMapBuilder()
                .withNewMetadata().withNamespace("istio-system").withName("istio").endMetadata()
                .addToData("mesh", meshYaml)
                .build()).create();
    }

    private static AdmissionRequestView create(JsonNode object) {
        return request(object, false);
    }

    /** A dry-run review decides the same way but leaves no reservation behind. */
    private static AdmissionRequestView dryRunCreate(JsonNode object) {
        return request(object, true);
    }

    private static AdmissionRequestView request(JsonNode object, boolean dryRun) {
        JsonNode metadata = object.path("metadata");
        return new AdmissionRequestView("admission.k8s.io/v1", "uid-" + metadata.path("name").asText(),
                "networking.istio.io", "v1", "ServiceEntry", "serviceentries", Operation.CREATE,
                metadata.path("namespace").asText(), metadata.path("name").asText(), dryRun, object.deepCopy(), null);
    }

    /** The validating webhook's decision for a review already read. */
    private interface Admission {
        Decision validate(AdmissionRequestView request);
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, DEADLINE, condition);
    }
}
