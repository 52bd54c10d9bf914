package io.meshguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.Plan;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.mesh.MeshConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The production write path, in the mock's expectations mode (its CRUD mode has no server-side apply): the
 * request must be an apply PATCH under the field manager meshguard, forcing conflicts, whose body is exactly
 * the planned object; deleting is a plain DELETE.
 */
@EnableKubernetesMockClient
class ServerSideApplyWriterTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @Test
    void applies_the_planned_object_with_server_side_apply_as_meshguard_forcing_conflicts() throws Exception {
        ObjectNode desired = planned();
        String path = "/apis/networking.istio.io/v1/namespaces/ns1/virtualservices/github-sni";
        server.expect().patch().withPath(path + "?fieldManager=meshguard&force=true")
                .andReturn(200, desired.toString()).once();

        new ServerSideApplyWriter(client).apply(desired);

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getPath()).isEqualTo(path + "?fieldManager=meshguard&force=true");
        assertThat(request.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
        JsonNode body = new ObjectMapper(new YAMLFactory()).readTree(request.getBody().readUtf8());
        assertThat(body).as("the body is the planned object, owner and label included").isEqualTo(desired);
    }

    @Test
    void deletes_with_a_plain_delete_of_the_named_object() throws Exception {
        String path = "/apis/networking.istio.io/v1/namespaces/ns1/virtualservices/github-sni";
        server.expect().delete().withPath(path).andReturn(200, "{\"kind\":\"Status\",\"status\":\"Success\"}").once();

        new ServerSideApplyWriter(client).delete(planned());

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("DELETE");
        assertThat(request.getPath()).isEqualTo(path);
    }

    private static ObjectNode planned() throws Exception {
        JsonNode entry = new ObjectMapper().readTree("{\"metadata\":{\"name\":\"github\",\"namespace\":\"ns1\","
                + "\"uid\":\"u-1\"},\"spec\":{\"hosts\":[\"github.com\"],\"ports\":[{\"number\":443,\"protocol\":\"TLS\"}]}}");
        Plan plan = new CompanionPlanner(CompanionSettings.DEFAULT)
                .plan(ServiceEntryReader.read(entry, null, 0), List.of(), MeshConfig.DEFAULT);
        return plan.objects().get(0);
    }
}
