package io.meshguard.admission;

import static io.meshguard.admission.HostileInputs.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ObjectLimits;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.testing.Allocation;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Hostile input against the pure codec and admission (no HTTP, so many tries): whatever the body, the answer
 * follows the error contract (400, or 200 echoing the uid; never an exception, which the edge turns into 500), costs
 * work bounded by the body's own size (allocation on the answering thread, and no index lookup for an entry past
 * the object limits), and the webhook judges a normal review correctly afterwards. Fixed seeds, bounded tries.
 *
 * <p>No property bounds wall-clock time: it moves with the machine's load, not with the work done. What a review
 * costs is measured by {@code bench/HostileInputBenchmark} instead.
 */
class HostileReviewPropertiesTest {

    /**
     * The bytes an answer may allocate, per byte of body, plus {@link #ALLOCATION_BASE}: parsing keeps a tree of the
     * body and the facts read from it, a few times its size. A review whose work grew with the product of its lists,
     * or with what the index holds, would allocate orders of magnitude more.
     */
    static final long ALLOCATION_PER_BYTE = 64;
    static final long ALLOCATION_BASE = 16L << 20;
    /** Not a speed bound: only catches an answer that never comes. */
    static final long HANG_SECONDS = 120;

    private static final ExecutorService ANSWERING = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "hostile-review");
        thread.setDaemon(true);
        return thread;
    });

    /** The answer and the bytes allocated on the thread that gave it. */
    record Measured(HostileInputs.Answer answer, long allocatedBytes) {
    }

    /** Runs {@code body} through a fresh webhook, then checks the webhook still judges. */
    static HostileInputs.Answer answerBounded(byte[] body) {
        HostileInputs.Webhook webhook = new HostileInputs.Webhook();
        Measured measured = measure(webhook, body);
        if (measured.allocatedBytes() >= 0) {
            assertThat(measured.allocatedBytes()).as("bytes allocated answering a body of %d bytes", body.length)
                    .isLessThanOrEqualTo(ALLOCATION_PER_BYTE * body.length + ALLOCATION_BASE);
        }
        webhook.stillJudges();
        return measured.answer();
    }

    /** The answer, measured on one thread ({@code -1} bytes where the JVM does not count allocation). */
    static Measured measure(HostileInputs.Webhook webhook, byte[] body) {
        Future<Measured> answered = ANSWERING.submit(() -> {
            long before = Allocation.allocatedBytes();
            HostileInputs.Answer answer = webhook.answer(body);
            long after = Allocation.allocatedBytes();
            return new Measured(answer, before < 0 ? -1 : after - before);
        });
        try {
            return answered.get(HANG_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new AssertionError("the answer failed", e.getCause());
        } catch (TimeoutException e) {
            answered.cancel(true);
            throw new AssertionError("no answer within " + HANG_SECONDS + " s: a hang", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * An index that fails the review as soon as it is looked at (any lookup but the mesh config and what derives from
     * it): what a review past the object limits must not do.
     */
    static final IndexSnapshot UNTOUCHABLE = (IndexSnapshot) Proxy.newProxyInstance(
            IndexSnapshot.class.getClassLoader(), new Class<?>[] {IndexSnapshot.class}, (proxy, method, args) -> {
                if (method.getName().equals("mesh")) {
                    return MeshConfig.DEFAULT;
                }
                if (method.isDefault()) {
                    return InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new AssertionError("the index was looked up: " + method.getName() + " "
                        + java.util.Arrays.toString(args));
            });

    @Property(tries = 400, seed = "5001")
    void random_bytes_are_400(@ForAll("randomBytes") byte[] body) {
        assertThat(answerBounded(body).status()).isEqualTo(400);
    }

    @Property(tries = 400, seed = "5002")
    void truncated_json_is_400(@ForAll("truncated") byte[] body) {
        assertThat(answerBounded(body).status()).isEqualTo(400);
    }

    @Property(tries = 60, seed = "5003")
    void deep_nesting_is_400_past_the_parser_limit_and_never_crashes(@ForAll("deeplyNested") byte[] body) {
        HostileInputs.Answer answer = answerBounded(body);
        String text = new String(body, java.nio.charset.StandardCharsets.US_ASCII);
        int depth = text.length() - text.replace("[", "").replace("{", "").length();
        if (depth > 1001) {
            assertThat(answer.status()).as("nesting %d deep", depth).isEqualTo(400);
        } else if (answer.status() == 200) {
            assertThat(answer.allowed()).as("a nested structure where a field belongs is never allowed").isFalse();
        }
    }

    @Property(tries = 40, seed = "5004")
    void huge_arrays_are_judged_with_work_bounded_by_the_body(@ForAll("hugeArrays") ObjectNode review) {
        HostileInputs.Answer answer = answerBounded(bytes(review));
        assertThat(answer.status()).isEqualTo(200);
        JsonNode ports = review.at("/request/object/spec/ports");
        boolean portZero = false;
        for (JsonNode p : ports) {
            portZero |= p.path("number").asInt() == 0;
        }
        if (portZero) {
            // 65,536 ports of 4 values each: past what is kept of an object, so denied as too large before port 0
            // is read as malformed; refused either way.
            assertThat(answer.allowed()).isFalse();
            assertThat(answer.decision().denials()).extracting(Finding::code)
                    .containsAnyOf(ObjectLimits.CODE, DenialCodes.MALFORMED_OBJECT);
        } else if (review.at("/request/object/spec/addresses").isArray()) {
            assertThat(answer.allowed()).as("thousands of addresses: past the object limit").isFalse();
            assertThat(answer.decision().denials()).extracting(Finding::code).contains(ObjectLimits.CODE);
        } else {
            // Seed 001's 443/TCP on 0.0.0.0 is still there (ports: 1..65535 include it): the seeded hwcloud wins.
            assertThat(answer.allowed()).as("still collides with the seeded entries").isFalse();
        }
        assertThat(answer.decision().denials().size() + answer.decision().warnings().size())
                .as("the answer lists a bounded number of findings").isLessThanOrEqualTo(22);
        assertThat(bytes(answer.response()).length).as("and stays small").isLessThan(64 * 1024);
        if (!portZero) {
            // Past the object limits: denied before the index is looked at, whatever the index holds.
            ServiceEntryFacts entry = ServiceEntryReader.read(review.at("/request/object"), "ns1", HostileInputs.NOW);
            assertThat(ObjectLimits.within(entry)).as("past the object limits").isFalse();
            Decision decision = ServiceEntryReview.standard().review(entry, null, UNTOUCHABLE);
            assertThat(decision.denials()).extracting(Finding::code).containsOnly(ObjectLimits.CODE);
        }
    }

    /** A review body of {@code size} bytes whose {@code where} (a JSON pointer's last member) holds only {@code {}}. */
    static byte[] emptyObjectsIn(String member, int size) {
        String review = HostileInputs.bytesAsString(HostileInputs.normalColliding());
        String target = "\"" + member + "\":";
        int at = review.indexOf(target) + target.length();
        int end = member.equals("ports") ? review.indexOf("]", at) + 1 : review.indexOf(",\"", at);
        StringBuilder body = new StringBuilder(size + 64).append(review, 0, at).append('[');
        int n = (size - review.length()) / 3;
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "{}" : ",{}");
        }
        return body.append(']').append(review.substring(end)).toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Example
    void an_object_of_millions_of_values_up_to_the_size_cap_is_denied_as_too_large_without_being_kept() {
        // 7 MiB of {} in spec.ports: 2.4 million nodes, more than the image's 144 MiB heap holds as a tree.
        byte[] body = emptyObjectsIn("ports", 7 * 1024 * 1024 - 1024);
        HostileInputs.Answer answer = answerBounded(body);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.allowed()).isFalse();
        assertThat(answer.decision().denials()).extracting(Finding::code).containsExactly(ObjectLimits.CODE);
        assertThat(answer.response().at("/status/message").asText()).contains("more than 200000 values");
    }

    @Example
    void an_envelope_of_millions_of_values_is_400_without_being_kept() {
        // request.uid as 7 MiB of {}: not an object under review, so not an AdmissionReview meshguard can answer.
        byte[] body = emptyObjectsIn("uid", 7 * 1024 * 1024 - 1024);
        assertThat(answerBounded(body).status()).isEqualTo(400);
    }

    /** Paths meshguard reads: a wrong type there must never be judged as if it were absent or fine. */
    static final Set<String> READ = Set.of("/apiVersion", "/kind", "/request", "/request/uid", "/request/kind",
            "/request/kind/group", "/request/kind/version", "/request/kind/kind", "/request/operation",
            "/request/name", "/request/namespace", "/request/dryRun", "/request/object", "/request/oldObject");
    static final List<String> READ_PREFIXES = List.of("/request/object/metadata/name",
            "/request/object/metadata/namespace", "/request/object/metadata/uid",
            "/request/object/metadata/creationTimestamp", "/request/object/spec/hosts", "/request/object/spec/ports",
            "/request/object/spec/addresses", "/request/object/spec/exportTo", "/request/object/spec/resolution",
            "/request/oldObject/metadata/name", "/request/oldObject/metadata/namespace",
            "/request/oldObject/metadata/uid", "/request/oldObject/metadata/creationTimestamp",
            "/request/oldObject/spec/hosts", "/request/oldObject/spec/ports", "/request/oldObject/spec/addresses",
            "/request/oldObject/spec/exportTo", "/request/oldObject/spec/resolution");
    static final Set<String> IGNORED_IN_READ = Set.of("name", "targetPort");

    static boolean read(String pointer) {
        for (String side : List.of("/request/object", "/request/oldObject")) {
            // The annotations map is read, and of its keys only meshguard's own.
            String annotations = side + "/metadata/annotations";
            if (pointer.equals(annotations) || pointer.startsWith(annotations + "/meshguard.io~1")) {
                return true;
            }
        }
        if (READ.contains(pointer) || pointer.equals("/request/object/metadata")
                || pointer.equals("/request/object/spec") || pointer.equals("/request/oldObject/metadata")
                || pointer.equals("/request/oldObject/spec")) {
            return true;
        }
        for (String prefix : READ_PREFIXES) {
            if (pointer.equals(prefix) || pointer.startsWith(prefix + "/")) {
                String last = pointer.substring(pointer.lastIndexOf('/') + 1);
                // ports[i].name and .targetPort are not read
                return !(prefix.endsWith("/ports") && IGNORED_IN_READ.contains(last));
            }
        }
        return false;
    }

    @Property(tries = 600, seed = "5005")
    void a_wrong_type_anywhere_is_refused_where_read_and_changes_nothing_where_not(
            @ForAll("validReviews") ObjectNode review, @ForAll("wrongValues") JsonNode value,
            @ForAll("pick") double pick) {
        HostileInputs.Answer baseline = new HostileInputs.Webhook().answer(bytes(review));
        List<String> pointers = HostileInputs.pointers(review);
        String pointer = pointers.get((int) (pick * pointers.size()));
        ObjectNode mutated = review.deepCopy();
        if (!HostileInputs.replace(mutated, pointer, value)) {
            return;
        }
        boolean update = "UPDATE".equals(review.at("/request/operation").asText());
        HostileInputs.Answer answer = answerBounded(bytes(mutated));
        boolean oldObjectIgnored = !update && pointer.startsWith("/request/oldObject");
        if (read(pointer) && !oldObjectIgnored) {
            boolean refused = answer.status() == 400
                    || answer.status() == 200 && !answer.allowed()
                    && answer.response().at("/status/code").asInt() == 422;
            assertThat(refused).as("%s set to %s: answered %s %s", pointer, value, answer.status(),
                    answer.response()).isTrue();
        } else {
            assertThat(answer.status()).as("%s set to %s", pointer, value).isEqualTo(baseline.status());
            assertThat(answer.allowed()).as("%s set to %s", pointer, value).isEqualTo(baseline.allowed());
            assertThat(codes(answer)).as("%s set to %s", pointer, value).isEqualTo(codes(baseline));
        }
    }

    static List<String> codes(HostileInputs.Answer answer) {
        return answer.decision() == null ? List.of() : answer.decision().denials().stream().map(Finding::code)
                .sorted().toList();
    }

    @Property(tries = 200, seed = "5006")
    void unknown_review_versions_are_400_and_unknown_entry_versions_are_allowed_with_a_warning(
            @ForAll("versions") String version, @ForAll boolean ofTheReview) {
        ObjectNode review = HostileInputs.normalColliding();
        if (ofTheReview) {
            review.put("apiVersion", version);
        } else {
            ((ObjectNode) review.path("request").path("kind")).put("version", version);
        }
        HostileInputs.Answer answer = answerBounded(bytes(review));
        boolean known = ofTheReview ? AdmissionReviewCodec.REVIEW_VERSIONS.contains(version)
                : IstioNetworking.VERSIONS.contains(version);
        if (ofTheReview && !known) {
            assertThat(answer.status()).isEqualTo(400);
        } else if (!ofTheReview && !known) {
            assertThat(answer.allowed()).isTrue();
            assertThat(answer.decision().warnings()).singleElement()
                    .satisfies(w -> assertThat(w.message()).contains("did not check it"));
        } else {
            assertThat(answer.allowed()).as("a known version is judged: seed 001 is denied").isFalse();
        }
    }

    @Property(tries = 50, seed = "5007")
    void a_missing_or_empty_uid_is_400(@ForAll("validReviews") ObjectNode review, @ForAll boolean empty) {
        ObjectNode request = (ObjectNode) review.get("request");
        if (empty) {
            request.put("uid", "");
        } else {
            request.remove("uid");
        }
        assertThat(answerBounded(bytes(review)).status()).isEqualTo(400);
    }

    @Property(tries = 300, seed = "5008")
    void unicode_in_hosts_and_names_is_answered_and_echoed(@ForAll("unicode") String text, @ForAll boolean inUid) {
        // A TLS entry claiming the seeded api.example.com plus the text as a host: denied, and the text may appear
        // in the message. The text as the uid must come back as the uid.
        ObjectNode review = HostileInputs.review("CREATE", inUid ? text : "u", "ns9", "tls",
                HostileInputs.spec(List.of("api.example.com", text), List.of(HostileInputs.port(8443, "TLS")),
                        List.of(), List.of()), null, true);
        HostileInputs.Answer answer = answerBounded(bytes(review));
        if (inUid && text.isEmpty()) {
            assertThat(answer.status()).isEqualTo(400);
            return;
        }
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.allowed()).as("still collides on api.example.com").isFalse();
    }

    @Property(tries = 300, seed = "5009")
    void addresses_that_do_not_parse_are_answered(@ForAll("badAddresses") String address) {
        ObjectNode review = HostileInputs.normalColliding();
        ((ArrayNode) ((ObjectNode) review.at("/request/object/spec")).putArray("addresses")).add(address);
        HostileInputs.Answer answer = answerBounded(bytes(review));
        assertThat(answer.status()).isEqualTo(200);
    }

    @Provide Arbitrary<byte[]> randomBytes() {
        return HostileInputs.randomBytes();
    }

    @Provide Arbitrary<byte[]> truncated() {
        return HostileInputs.truncated();
    }

    @Provide Arbitrary<byte[]> deeplyNested() {
        return HostileInputs.deeplyNested();
    }

    @Provide Arbitrary<ObjectNode> hugeArrays() {
        return HostileInputs.hugeArrays();
    }

    @Provide Arbitrary<ObjectNode> validReviews() {
        return HostileInputs.validReviews();
    }

    @Provide Arbitrary<JsonNode> wrongValues() {
        return HostileInputs.wrongValues();
    }

    @Provide Arbitrary<Double> pick() {
        return Arbitraries.doubles().between(0, 1).filter(d -> d < 1);
    }

    @Provide Arbitrary<String> versions() {
        return Arbitraries.oneOf(Arbitraries.of("admission.k8s.io/v1", "admission.k8s.io/v1beta1", "v1", "v1beta1",
                "v1alpha3", "v2", "admission.k8s.io/v2", "", "V1"), Arbitraries.strings().ofMaxLength(20));
    }

    @Provide Arbitrary<String> unicode() {
        return HostileInputs.unicodeText();
    }

    @Provide Arbitrary<String> badAddresses() {
        return HostileInputs.badAddresses();
    }

}
