package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.rules.Finding;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the HTTPS golden tests cannot reach standalone: a cluster with VirtualServices, and odd requests. */
class MutatingAdmissionTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String GITHUB = "{\"metadata\":{\"name\":\"github\",\"namespace\":\"ns1\"},"
            + "\"spec\":{\"hosts\":[\"github.com\"],\"ports\":[{\"number\":443,\"protocol\":\"TLS\"}]}}";

    private final List<RoutingVirtualService> cluster = new ArrayList<>();
    private final AdmissionPipeline admission = AdmissionPipeline.mutating(new AdmissionReviewCodec(JSON), List.of(
            IstioNetworking.serviceEntries(() -> 0)
                    .mutator(new CompanionPlanMutator(new CompanionPlanner(CompanionSettings.DEFAULT), () -> cluster,
                            () -> MeshConfig.DEFAULT))
                    .build()));

    @Test
    void a_hand_written_virtualservice_leaves_no_plan_and_the_user_is_warned_why() {
        cluster.add(new RoutingVirtualService("platform", "github", List.of("github.com"), List.of(), List.of(), null));

        Outcome mutation = admission.review(request(Operation.CREATE, GITHUB, "v1"));

        assertThat(mutation.patch()).as("nothing planned, nothing to record").isEmpty();
        assertThat(mutation.warnings()).extracting(Finding::summary).containsExactly("No SNI route for github.com: VirtualService platform/github "
                + "already routes it on mesh, and a second one would conflict (istioctl IST0109).");
    }

    @Test
    void without_it_the_plan_is_recorded() {
        Outcome mutation = admission.review(request(Operation.CREATE, GITHUB, "v1"));

        assertThat(mutation.patch().toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations\","
                + "\"value\":{\"meshguard.io/companions\":\"VirtualService/github-sni\"}}]");
        assertThat(mutation.warnings()).isEmpty();
    }

    @Test
    void an_unreadable_entry_is_left_to_the_validating_webhook() {
        String broken = GITHUB.replace("443", "\"https\"");
        assertThat(admission.review(request(Operation.CREATE, broken, "v1")).patch()).isEmpty();
    }

    @Test
    void an_unknown_version_or_a_connect_is_not_touched() {
        assertThat(admission.review(request(Operation.CREATE, GITHUB, "v2")).patch()).isEmpty();
        assertThat(admission.review(request(Operation.CONNECT, GITHUB, "v1")).patch()).isEmpty();
    }

    private static AdmissionRequestView request(Operation operation, String object, String version) {
        try {
            JsonNode tree = JSON.readTree(object);
            return new AdmissionRequestView("admission.k8s.io/v1", "u", "networking.istio.io", version, "ServiceEntry",
                    "serviceentries", operation, "ns1", "github", false, tree, null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
