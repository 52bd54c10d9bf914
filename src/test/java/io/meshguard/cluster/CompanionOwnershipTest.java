package io.meshguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshguard.decode.VirtualServiceReader;
import io.meshguard.mesh.EntryKey;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One ownership rule, two readers: the planner's (the VirtualService view read from JSON) and the controller's
 * (the owner index read from fabric8's metadata) must name the same owner for every object, as Kubernetes'
 * garbage collector would: the controlling ownerReference to a networking.istio.io ServiceEntry, on an object
 * labelled as meshguard's.
 */
class CompanionOwnershipTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final String LABELLED = "labels: {app.kubernetes.io/managed-by: meshguard}";

    static Stream<Arguments> cases() {
        String controlling = reference("networking.istio.io/v1", "ServiceEntry", "github", true);
        return Stream.of(
                Arguments.of("labelled, controlled by a ServiceEntry", LABELLED, "[" + controlling + "]",
                        Optional.of(new EntryKey("ns1", "github"))),
                Arguments.of("an older API version of the same group", LABELLED,
                        "[" + reference("networking.istio.io/v1beta1", "ServiceEntry", "github", true) + "]",
                        Optional.of(new EntryKey("ns1", "github"))),
                Arguments.of("the controlling reference wins over a plain one", LABELLED,
                        "[" + reference("networking.istio.io/v1", "ServiceEntry", "other", false) + ", "
                                + controlling + "]",
                        Optional.of(new EntryKey("ns1", "github"))),
                Arguments.of("not labelled as meshguard's", "labels: {team: git}", "[" + controlling + "]",
                        Optional.empty()),
                Arguments.of("labelled by someone else", "labels: {app.kubernetes.io/managed-by: helm}",
                        "[" + controlling + "]", Optional.empty()),
                Arguments.of("a reference that is not the controller", LABELLED,
                        "[" + reference("networking.istio.io/v1", "ServiceEntry", "github", false) + "]",
                        Optional.empty()),
                Arguments.of("a ServiceEntry of another group", LABELLED,
                        "[" + reference("example.com/v1", "ServiceEntry", "github", true) + "]", Optional.empty()),
                Arguments.of("controlled by another kind", LABELLED,
                        "[" + reference("networking.istio.io/v1", "VirtualService", "github", true) + "]",
                        Optional.empty()),
                Arguments.of("no ownerReferences", LABELLED, "[]", Optional.empty()));
    }

    private static String reference(String apiVersion, String kind, String name, boolean controller) {
        return "{apiVersion: " + apiVersion + ", kind: " + kind + ", name: " + name + ", uid: u-" + name
                + (controller ? ", controller: true}" : "}");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void both_readers_name_the_same_owner(String name, String labels, String references,
            Optional<EntryKey> expected) throws Exception {
        JsonNode object = YAML.readTree("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
                + "metadata: {name: github-sni, namespace: ns1, " + labels + ", ownerReferences: " + references
                + "}\n"
                + "spec: {hosts: [github.com]}\n");

        Optional<EntryKey> fromJson = VirtualServiceReader.owner(object);
        Optional<EntryKey> fromInformer = CompanionIndexes.owner(
                SERIALIZATION.convertValue(object, GenericKubernetesResource.class));

        assertThat(fromJson).as("the planner's reader").isEqualTo(expected);
        assertThat(fromInformer).as("the owner index's reader").isEqualTo(expected);
        assertThat(VirtualServiceReader.read(object).owner()).isEqualTo(expected.orElse(null));
    }
}
