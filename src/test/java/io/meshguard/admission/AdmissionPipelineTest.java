package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.Severity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pipeline with a kind of its own (a Gateway read as its name), so that what every route does is shown apart
 * from the ServiceEntry rules: the checks and the read once, validators in order until one denies, mutators on one
 * draft with one diff, and the decorators around it, failed reviews measured too.
 */
class AdmissionPipelineTest {

    static final AdmissionReviewCodec CODEC = new AdmissionReviewCodec(new ObjectMapper());

    static byte[] review(String kind, String version, String operation, String object) {
        return ("""
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-1",
                 "kind":{"group":"networking.istio.io","version":"%s","kind":"%s"},"operation":"%s",
                 "namespace":"ns1","name":"gw"%s}}""").formatted(version, kind, operation,
                object == null ? "" : ",\"object\":" + object + ",\"oldObject\":" + object)
                .getBytes(StandardCharsets.UTF_8);
    }

    static final String GATEWAY = "{\"metadata\":{\"name\":\"gw\",\"namespace\":\"ns1\"},\"spec\":{}}";

    /** Reads a Gateway as its name; counts the reads. */
    final AtomicLong reads = new AtomicLong();
    final KindRoute.Reader<String> names = (object, request) -> {
        reads.incrementAndGet();
        String name = object.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            throw new MalformedObjectException("metadata.name is missing");
        }
        return name;
    };

    final List<String> calls = new ArrayList<>();

    Validator<String> recording(String label, Decision decision) {
        return new Validator<>() {
            @Override
            public Decision create(AdmissionRequestView request, String name) {
                calls.add(label + " create " + name);
                return decision;
            }

            @Override
            public Decision update(AdmissionRequestView request, String old, String name) {
                calls.add(label + " update " + old + "->" + name);
                return decision;
            }

            @Override
            public Decision delete(AdmissionRequestView request, String old) {
                calls.add(label + " delete " + old);
                return decision;
            }
        };
    }

    static final Decision WARNED = Decision.of(List.of(), List.of(Finding.warning("W", "spec", "careful")));
    static final Decision DENIED = Decision.of(List.of(new Finding("D", Severity.DENY, "spec", "no", "no", null, 0,
            List.of())), List.of());

    @Test
    void a_new_kind_plugs_in_as_one_route_and_its_validators_run_in_order_until_one_denies() {
        AdmissionPipeline pipeline = AdmissionPipeline.validating(CODEC, List.of(
                IstioNetworking.route("Gateway", names)
                        .validator(recording("pure", WARNED))
                        .validator(recording("deny", DENIED))
                        .validator(recording("records", Decision.ALLOW))
                        .build()));

        Outcome outcome = pipeline.review(review("Gateway", "v1", "CREATE", GATEWAY));

        assertThat(calls).containsExactly("pure create gw", "deny create gw");
        assertThat(outcome.allowed()).isFalse();
        assertThat(outcome.code()).isEqualTo(403);
        assertThat(outcome.warnings()).extracting(Finding::code).containsExactly("W");
        assertThat(reads).as("the object is read once, for all validators").hasValue(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "CREATE, check create gw, 1",
        "UPDATE, check update gw->gw, 2",
        "DELETE, check delete gw, 1",
        "CONNECT, '', 0",
    })
    void each_operation_reaches_its_method(String operation, String call, int objectsRead) {
        AdmissionPipeline pipeline = AdmissionPipeline.validating(CODEC, List.of(
                IstioNetworking.route("Gateway", names).validator(recording("check", Decision.ALLOW)).build()));

        assertThat(pipeline.review(review("Gateway", "v1", operation, GATEWAY)).allowed()).isTrue();

        assertThat(calls).containsExactlyElementsOf(call.isEmpty() ? List.of() : List.of(call));
        assertThat(reads).hasValue(objectsRead);
    }

    @Test
    void the_guards_come_before_any_validator() {
        AdmissionPipeline pipeline = AdmissionPipeline.validating(CODEC, List.of(
                IstioNetworking.route("Gateway", names).validator(recording("check", DENIED)).build()));

        Outcome otherKind = pipeline.review(review("Sidecar", "v1", "CREATE", GATEWAY));
        assertThat(otherKind.allowed()).as("a kind without a route").isTrue();
        Outcome unknownVersion = pipeline.review(review("Gateway", "v9", "CREATE", GATEWAY));
        assertThat(unknownVersion.allowed()).isTrue();
        assertThat(unknownVersion.warnings()).extracting(Finding::summary)
                .containsExactly("meshguard does not know Gateway version v9 and did not check it");
        Outcome unreadable = pipeline.review(review("Gateway", "v1", "CREATE", "{\"metadata\":{}}"));
        assertThat(unreadable.code()).isEqualTo(422);
        assertThat(unreadable.denials().get(0).message())
                .isEqualTo("meshguard cannot read this Gateway: metadata.name is missing");
        assertThatThrownBy(() -> pipeline.review(review("Gateway", "v1", "UPDATE", null)))
                .isInstanceOf(BadReviewException.class).hasMessage("request.object is missing on UPDATE")
                .extracting(e -> ((BadReviewException) e).request().kind()).isEqualTo("Gateway");
        assertThat(calls).isEmpty();
    }

    @Test
    void mutators_edit_one_draft_and_the_patch_is_one_diff_of_it() {
        AdmissionPipeline pipeline = AdmissionPipeline.mutating(CODEC, List.of(
                IstioNetworking.route("Gateway", names)
                        .validator(recording("never on /mutate", DENIED))
                        .mutator((request, name, draft) -> {
                            draft.with("metadata").putObject("labels").put("a", name);
                            return List.of();
                        })
                        .mutator((request, name, draft) -> {
                            draft.with("metadata").with("labels").put("b", "2");
                            return List.of(Finding.warning("M", "metadata.labels", "labelled"));
                        })
                        .build()));

        Outcome outcome = pipeline.review(review("Gateway", "v1", "CREATE", GATEWAY));

        assertThat(outcome.patch().toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/labels\","
                + "\"value\":{\"a\":\"gw\",\"b\":\"2\"}}]");
        assertThat(outcome.warnings()).extracting(Finding::code).containsExactly("M");
        assertThat(calls).isEmpty();
        assertThat(pipeline.review(review("Gateway", "v1", "DELETE", GATEWAY)).patch()).isEmpty();
    }

    @Test
    void a_route_for_a_kind_twice_is_refused() {
        KindRoute<String> route = IstioNetworking.route("Gateway", names).build();
        assertThatThrownBy(() -> AdmissionPipeline.validating(CODEC, List.of(route, route)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** What a meter saw. */
    static final class Seen implements ReviewMeter {
        final List<String> events = new ArrayList<>();

        @Override
        public void answered(String webhook, Outcome outcome, long nanos) {
            events.add(webhook + " " + outcome.request().kind() + " " + (outcome.allowed() ? "allowed" : "denied")
                    + " " + nanos);
        }

        @Override
        public void failed(String webhook, AdmissionRequestView request, int status, long nanos) {
            events.add(webhook + " " + (request == null ? "-" : request.kind()) + " " + status + " " + nanos);
        }
    }

    @Test
    void failed_reviews_are_measured_with_their_status() {
        Seen meter = new Seen();
        AtomicLong clock = new AtomicLong();
        AtomicBoolean ready = new AtomicBoolean(false);
        AdmissionPipeline pipeline = AdmissionPipeline.validating(CODEC, List.of(
                IstioNetworking.route("Gateway", names).validator(new Validator<>() {
                    @Override
                    public Decision create(AdmissionRequestView request, String name) {
                        clock.addAndGet(7);
                        if (name.equals("bug")) {
                            throw new IllegalStateException("a bug");
                        }
                        return Decision.ALLOW;
                    }
                }).build()));
        Webhook webhook = new MeasuredWebhook("validate", meter,
                new ReadinessGate(ready::get, "not yet", pipeline), clock::get);

        assertThatThrownBy(() -> webhook.review(review("Gateway", "v1", "CREATE", GATEWAY)))
                .isInstanceOf(NotReadyException.class).hasMessage("not yet");
        ready.set(true);
        assertThatThrownBy(() -> webhook.review("{".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadReviewException.class);
        assertThatThrownBy(() -> webhook.review(review("Gateway", "v1", "CREATE", null)))
                .isInstanceOf(BadReviewException.class);
        // The Gateway "bug", named so in the request too (a review naming two objects is denied before any validator).
        byte[] bug = new String(review("Gateway", "v1", "CREATE", GATEWAY), StandardCharsets.UTF_8)
                .replace("\"gw\"", "\"bug\"").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> webhook.review(bug)).isInstanceOf(IllegalStateException.class);
        webhook.review(review("Gateway", "v1", "CREATE", GATEWAY));

        assertThat(meter.events).containsExactly(
                "validate - 503 0",
                "validate - 400 0",
                "validate Gateway 400 0",
                "validate - 500 7",
                "validate Gateway allowed 7");
    }

    @Test
    void under_a_policy_that_only_warns_the_validators_go_on_and_the_admitted_entry_is_recorded() {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> 0, 30_000);
        DecisionPolicy warnIn = (request, decision) -> request.namespace().equals("ns1")
                ? Decision.of(List.of(), concat(decision.warnings(),
                        decision.denials().stream().map(d -> d.demotedToWarning("not enforced: ")).toList()))
                : decision;
        List<KindRoute<?>> routes = List.of(IstioNetworking.serviceEntries(() -> 0)
                .validator(new Validator<>() {
                    @Override
                    public Decision create(AdmissionRequestView request, ServiceEntryFacts entry) {
                        calls.add("pure " + entry.key());
                        return entry.key().namespace().equals("ns3") ? Decision.ALLOW : DENIED;
                    }
                })
                .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                        ServiceEntryIndexValidator.Learning.LEARN, warnIn))
                .build());
        Webhook webhook = new PolicyWebhook(warnIn, AdmissionPipeline.validating(CODEC, routes, warnIn));
        AdmissionPipeline enforced = AdmissionPipeline.validating(CODEC, routes);

        Outcome warned = webhook.review(entry("ns1", "github"));
        Outcome denied = enforced.review(entry("ns2", "gitlab"));

        assertThat(warned.allowed()).isTrue();
        assertThat(warned.warnings()).extracting(Finding::code).containsExactly("D");
        assertThat(denied.allowed()).isFalse();
        assertThat(calls).containsExactly("pure ns1/github", "pure ns2/gitlab");
        assertThat(index.size()).as("only the admitted entry is recorded").isEqualTo(1);
        assertThat(enforced.review(entry("ns3", "other")).denials()).extracting(Finding::code)
                .as("the next review sees it").containsExactly("ListenerCollision");
    }

    static List<Finding> concat(List<Finding> a, List<Finding> b) {
        List<Finding> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static byte[] entry(String namespace, String name) {
        return ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u-%s\","
                + "\"kind\":{\"group\":\"networking.istio.io\",\"version\":\"v1\",\"kind\":\"ServiceEntry\"},"
                + "\"operation\":\"CREATE\",\"namespace\":\"%s\",\"name\":\"%s\",\"object\":{\"metadata\":{\"name\":"
                + "\"%s\",\"namespace\":\"%s\"},\"spec\":{\"hosts\":[\"%s.example.com\"],\"ports\":[{\"number\":443,"
                + "\"protocol\":\"TCP\"}],\"resolution\":\"DNS\"}}}}")
                .formatted(name, namespace, name, name, namespace, name).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void a_decision_policy_rewrites_answers_and_keeps_the_patch() {
        Webhook denying = body -> Outcome.of(CODEC.read(body), DENIED);
        DecisionPolicy warnOnly = (request, decision) -> request.namespace().equals("ns1")
                ? Decision.of(List.of(), decision.denials().stream().map(d -> d.demotedToWarning("dry run: ")).toList())
                : decision;

        Outcome outcome = new PolicyWebhook(warnOnly, denying).review(review("Gateway", "v1", "CREATE", GATEWAY));

        assertThat(outcome.allowed()).isTrue();
        assertThat(outcome.warnings()).extracting(Finding::summary).containsExactly("dry run: no");
    }
}
