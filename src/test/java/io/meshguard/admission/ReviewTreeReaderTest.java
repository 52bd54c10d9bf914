package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.load.SyntheticCluster;
import io.meshguard.mesh.MeshConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The review is read without building {@code managedFields}, the last-applied annotation or the request members
 * meshguard does not read: the tree is otherwise the one Jackson builds of the whole body (so every check made on it
 * answers as before), bodies that are not JSON anywhere are still refused, and the mutating webhook's patch never
 * touches what was pruned.
 */
class ReviewTreeReaderTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ReviewTreeReader READER = new ReviewTreeReader(JSON);
    /** Reviews as the API server sends them: managedFields, last-applied, userInfo, options (SyntheticCluster). */
    static final List<SyntheticCluster.Review> REVIEWS = new SyntheticCluster(300, 1).reviews(200, 2);

    /** The whole body as Jackson reads it, less what the reader prunes. */
    static JsonNode expected(byte[] body) throws IOException {
        JsonNode full = JSON.readTree(body);
        if (!(full instanceof ObjectNode root)) {
            return full.isMissingNode() ? null : full;
        }
        root.retain("apiVersion", "kind", "request");
        if (root.get("request") instanceof ObjectNode request) {
            request.retain("uid", "operation", "kind", "resource", "namespace", "name", "dryRun", "object", "oldObject");
            for (String side : List.of("object", "oldObject")) {
                if (request.get(side) instanceof ObjectNode object && object.get("metadata") instanceof ObjectNode meta) {
                    meta.remove("managedFields");
                    if (meta.get("annotations") instanceof ObjectNode annotations) {
                        annotations.remove(ReviewTreeReader.LAST_APPLIED);
                    }
                }
            }
        }
        return root;
    }

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void what_the_api_server_adds_is_not_in_the_tree_and_the_rest_is() throws IOException {
        for (SyntheticCluster.Review review : REVIEWS) {
            byte[] body = SyntheticCluster.bytes(review.body());
            JsonNode tree = READER.read(body);
            assertThat(tree).isEqualTo(expected(body));
            JsonNode metadata = tree.at("/request/object/metadata");
            assertThat(metadata.has("managedFields")).isFalse();
            assertThat(metadata.path("annotations").isObject()).as("the map stays, empty").isTrue();
            assertThat(metadata.path("annotations").has(ReviewTreeReader.LAST_APPLIED)).isFalse();
            assertThat(tree.path("request").has("userInfo")).isFalse();
            assertThat(tree.at("/request/object/spec")).isEqualTo(review.body().at("/request/object/spec"));
        }
    }

    /** Any member of any type anywhere: the reading is Jackson's, less the pruned members. */
    @Property(tries = 500, seed = "9201")
    void a_changed_review_reads_as_jackson_reads_it_less_the_pruned_members(@ForAll("reviews") ObjectNode review,
            @ForAll("values") JsonNode value, @ForAll("pick") double pick) throws IOException {
        List<String> pointers = HostileInputs.pointers(review);
        HostileInputs.replace(review, pointers.get((int) (pick * pointers.size())), value);
        byte[] body = SyntheticCluster.bytes(review);
        assertThat(READER.read(body)).isEqualTo(expected(body));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // Duplicate keys: the last one counts, as Jackson's tree (and Go's encoding/json) take them.
        "duplicate uid              | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"a\",\"uid\":\"b\"}}",
        "duplicate object           | {\"request\":{\"object\":{\"spec\":1},\"object\":{\"metadata\":{\"name\":\"x\"}}}}",
        "duplicate pruned member    | {\"request\":{\"object\":{\"metadata\":{\"managedFields\":[],\"name\":\"a\",\"managedFields\":7}}}}",
        "duplicate annotations      | {\"request\":{\"object\":{\"metadata\":{\"annotations\":{\"a\":\"1\"},\"annotations\":{\"b\":\"2\"}}}}}",
        "duplicate metadata         | {\"request\":{\"object\":{\"metadata\":{\"name\":\"a\"},\"metadata\":7}}}",
        "duplicate request          | {\"request\":7,\"request\":{\"uid\":\"u\"}}",
        "numbers in odd forms       | {\"request\":{\"object\":{\"spec\":{\"ports\":[{\"number\":443.0},{\"number\":4.43e2},{\"number\":\"443\"},{\"number\":1e400},{\"number\":99999999999999999999}]}}}}",
        "numbers where text belongs | {\"apiVersion\":1,\"kind\":2.5,\"request\":{\"uid\":3,\"dryRun\":0,\"kind\":-1}}",
        "a request that is an array | {\"request\":[{\"uid\":\"u\"}]}",
        "metadata of odd types      | {\"request\":{\"object\":{\"metadata\":[]},\"oldObject\":{\"metadata\":{\"annotations\":[\"x\"]}}}}",
        "null object                | {\"request\":{\"object\":null,\"oldObject\":null}}",
        "an array body              | [1,2,3]",
        "a string body              | \"AdmissionReview\"",
        "trailing content ignored   | {\"kind\":\"AdmissionReview\"} {\"kind\":7}",
    })
    void odd_bodies_read_as_jackson_reads_them(String why, String body) throws IOException {
        assertThat(READER.read(bytes(body))).isEqualTo(expected(bytes(body)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "truncated in managedFields    | {\"request\":{\"uid\":\"u\",\"object\":{\"metadata\":{\"managedFields\":[{\"manager\":",
        "bad token in managedFields    | {\"request\":{\"uid\":\"u\",\"object\":{\"metadata\":{\"managedFields\":[1,}]}}}}",
        "bad token in last-applied     | {\"request\":{\"object\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"x\\q\"}}}}}",
        "bad token in userInfo         | {\"request\":{\"userInfo\":{\"groups\":[tru]},\"uid\":\"u\"}}",
        "unterminated skipped string   | {\"request\":{\"options\":\"abc",
        "array body truncated          | [1,2,",
        "empty object truncated        | {",
    })
    void a_body_that_is_not_json_is_refused_even_where_nothing_is_read(String why, String body) {
        assertThatThrownBy(() -> new AdmissionReviewCodec(JSON).read(bytes(body)))
                .isInstanceOf(BadReviewException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void nesting_past_the_parser_limit_is_refused_inside_managed_fields_too() {
        String deep = "[".repeat(1200) + "]".repeat(1200);
        String body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\","
                + "\"operation\":\"CREATE\",\"object\":{\"metadata\":{\"managedFields\":" + deep + "}}}}";
        assertThatThrownBy(() -> new AdmissionReviewCodec(JSON).read(bytes(body)))
                .isInstanceOf(BadReviewException.class).hasMessageContaining("not valid JSON")
                .hasMessageContaining("nesting depth");
    }

    @Test
    void an_empty_body_is_no_review() throws IOException {
        assertThat(READER.read(new byte[0])).isNull();
        assertThat(READER.read(bytes("  \n "))).isNull();
    }

    // --- the mutating webhook diffs its patch from the pruned tree ----------------------------------------------

    final AdmissionPipeline mutating = AdmissionPipeline.mutating(new AdmissionReviewCodec(JSON), List.of(
            IstioNetworking.serviceEntries(() -> 0)
                    .mutator(new CompanionPlanMutator(new CompanionPlanner(CompanionSettings.DEFAULT), List::of,
                            () -> MeshConfig.DEFAULT))
                    .build()));

    static final String LAST_APPLIED_VALUE = "{\\\"apiVersion\\\":\\\"networking.istio.io/v1\\\"}\\n";

    static String tlsEntryReview(String annotations) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"m-1",
                 "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},
                 "resource":{"group":"networking.istio.io","version":"v1","resource":"serviceentries"},
                 "namespace":"ns1","name":"github","operation":"CREATE",
                 "userInfo":{"username":"admin","groups":["system:masters"]},
                 "object":{"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry",
                  "metadata":{"name":"github","namespace":"ns1",ANNOTATIONS
                   "managedFields":[{"manager":"kubectl-client-side-apply","operation":"Update",
                     "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{}}}}}]},
                  "spec":{"hosts":["github.com"],"ports":[{"number":443,"name":"tls","protocol":"TLS"}]}}}}"""
                .replace("ANNOTATIONS", annotations);
    }

    /** The patch applied to the object as sent: what the API server stores. */
    static JsonNode applied(String review, ArrayNode patch) throws IOException {
        ObjectNode object = (ObjectNode) JSON.readTree(review).at("/request/object");
        for (JsonNode op : patch) {
            String path = op.path("path").asText();
            int slash = path.lastIndexOf('/');
            String member = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
            ObjectNode parent = (ObjectNode) object.at(path.substring(0, slash));
            switch (op.path("op").asText()) {
                case "add", "replace" -> parent.set(member, op.get("value"));
                case "remove" -> parent.remove(member);
                default -> throw new AssertionError("unexpected op " + op);
            }
        }
        return object;
    }

    @ParameterizedTest(name = "annotations: {0}")
    @CsvSource(delimiter = '|', value = {
        "only last-applied | \"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"LA\"},",
        "last-applied and others | \"annotations\":{\"team\":\"a\",\"kubectl.kubernetes.io/last-applied-configuration\":\"LA\"},",
        "none              | ''",
    })
    void the_plan_is_patched_in_beside_what_was_pruned_which_stays(String why, String annotations) throws IOException {
        String review = tlsEntryReview(annotations.replace("LA", LAST_APPLIED_VALUE));
        Outcome outcome = mutating.review(bytes(review));

        assertThat(outcome.patch()).isNotEmpty();
        for (JsonNode op : outcome.patch()) {
            assertThat(op.path("op").asText()).as("%s", op).isEqualTo("add");
            assertThat(op.path("path").asText()).as("%s", op).doesNotContain("managedFields");
        }
        JsonNode stored = applied(review, outcome.patch());
        JsonNode sent = JSON.readTree(review).at("/request/object");
        assertThat(stored.at("/metadata/annotations/meshguard.io~1companions").asText())
                .isEqualTo("VirtualService/github-sni");
        assertThat(stored.at("/metadata/managedFields")).isEqualTo(sent.at("/metadata/managedFields"));
        assertThat(stored.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"))
                .isEqualTo(sent.at("/metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration"));
        ((ObjectNode) stored.at("/metadata/annotations")).remove("meshguard.io/companions");
        if (stored.at("/metadata/annotations").isEmpty() && sent.at("/metadata/annotations").isMissingNode()) {
            ((ObjectNode) stored.get("metadata")).remove("annotations");
        }
        assertThat(stored).as("nothing else changed").isEqualTo(sent);
    }

    @Provide
    Arbitrary<ObjectNode> reviews() {
        return Arbitraries.of(REVIEWS).map(r -> r.body().deepCopy());
    }

    @Provide
    Arbitrary<JsonNode> values() {
        return HostileInputs.wrongValues();
    }

    @Provide
    Arbitrary<Double> pick() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }
}
