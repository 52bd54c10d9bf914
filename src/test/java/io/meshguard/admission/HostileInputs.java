package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Hostile and mutated AdmissionReviews, as jqwik arbitraries shared by the in-process properties
 * ({@link HostileReviewPropertiesTest}) and the HTTPS test (HostileHttpsTest), plus the error contract as an oracle
 * for the in-process path: what the HTTP edge would answer for a body.
 */
public final class HostileInputs {

    public static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final long NOW = 1_767_225_600_000L;

    private HostileInputs() {
    }

    // --- the oracle ------------------------------------------------------------------------------------------

    /** What the edge answers: 400 for BadReviewException, 200 with the review otherwise; anything else is a 500. */
    public record Answer(int status, Decision decision, JsonNode response) {
        public boolean allowed() {
            return status == 200 && decision.allowed();
        }
    }

    /** A fresh in-process webhook whose index holds {@link #seeded()} entries, as standalone meshguard would. */
    public static final class Webhook {
        final ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        final AdmissionReviewCodec codec = new AdmissionReviewCodec(JSON);
        final AdmissionPipeline admission = AdmissionPipeline.validating(codec, List.of(
                IstioNetworking.serviceEntries(() -> NOW)
                        .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                                ServiceEntryIndexValidator.Learning.LEARN))
                        .build()));

        public Webhook() {
            seeded().forEach(index::confirm);
        }

        /** Answers as the HTTP edge would; throws (the test fails) where the edge would answer 500. */
        public Answer answer(byte[] body) {
            AdmissionRequestView request;
            try {
                request = codec.read(body);
            } catch (BadReviewException e) {
                assertThat(e.getMessage()).as("a 400 says what is wrong").isNotBlank();
                return new Answer(400, null, null);
            }
            Outcome outcome;
            try {
                outcome = admission.review(request);
            } catch (BadReviewException e) {
                return new Answer(400, null, null);
            }
            Decision decision = outcome.decision();
            byte[] written = codec.write(outcome);
            JsonNode response;
            try {
                response = JSON.readTree(written).path("response");
            } catch (java.io.IOException e) {
                throw new AssertionError("the answer is not JSON", e);
            }
            assertThat(response.path("uid").asText()).as("response.uid").isEqualTo(request.uid());
            assertThat(response.path("allowed").asBoolean()).isEqualTo(decision.allowed());
            if (!decision.allowed()) {
                assertThat(response.path("status").path("code").asInt()).isIn(400, 403, 422);
            }
            return new Answer(200, decision, response);
        }

        /** The webhook still judges normally: a fresh entry is allowed, one colliding with the seed is denied. */
        public void stillJudges() {
            Answer fresh = answer(bytes(review("CREATE", "fresh-check", "check", "fresh",
                    spec(List.of("fresh.example.com"), List.of(port(31999, "TCP")), List.of(), List.of()), null, true)));
            assertThat(fresh.status()).isEqualTo(200);
            assertThat(fresh.decision().allowed()).as("a fresh entry is allowed").isTrue();
            Answer clash = answer(bytes(normalColliding()));
            assertThat(clash.status()).isEqualTo(200);
            assertThat(clash.decision().allowed()).as("seed 001's second entry is denied").isFalse();
        }
    }

    /** The cluster every in-process webhook starts with: seed 001's first entry, and a wide one. */
    static List<ServiceEntryFacts> seeded() {
        List<ServicePort> many = new ArrayList<>();
        for (int p = 20000; p < 20100; p++) {
            many.add(new ServicePort(p, "TCP"));
        }
        return List.of(
                new ServiceEntryFacts(new EntryKey("ns2", "hwcloud"), "", NOW - 86_400_000L,
                        List.of("www.huaweicloud.com"), List.of(new ServicePort(443, "TCP")), List.of(), List.of(),
                        List.of(), Resolution.DNS),
                new ServiceEntryFacts(new EntryKey("ns3", "api"), "", NOW - 86_400_000L,
                        List.of("api.example.com"), List.of(new ServicePort(8443, "TLS")), List.of(), List.of(),
                        List.of("*"), Resolution.DNS),
                new ServiceEntryFacts(new EntryKey("ns4", "wide"), "", NOW - 86_400_000L,
                        List.of("wide.example.com"), many, List.of(), List.of(), List.of("*"), Resolution.DNS));
    }

    // --- building reviews ------------------------------------------------------------------------------------

    public static ObjectNode port(int number, String protocol) {
        ObjectNode port = F.objectNode();
        port.put("number", number);
        port.put("name", "p" + number);
        if (protocol != null) {
            port.put("protocol", protocol);
        }
        return port;
    }

    public static ObjectNode spec(List<String> hosts, List<ObjectNode> ports, List<String> addresses,
            List<String> exportTo) {
        ObjectNode spec = F.objectNode();
        ArrayNode h = spec.putArray("hosts");
        hosts.forEach(h::add);
        ArrayNode p = spec.putArray("ports");
        ports.forEach(p::add);
        if (!addresses.isEmpty()) {
            ArrayNode a = spec.putArray("addresses");
            addresses.forEach(a::add);
        }
        if (!exportTo.isEmpty()) {
            ArrayNode e = spec.putArray("exportTo");
            exportTo.forEach(e::add);
        }
        spec.put("location", "MESH_EXTERNAL");
        spec.put("resolution", "DNS");
        return spec;
    }

    public static ObjectNode review(String operation, String uid, String namespace, String name, ObjectNode spec,
            ObjectNode oldSpec, boolean dryRun) {
        ObjectNode root = F.objectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode request = root.putObject("request");
        request.put("uid", uid);
        request.putObject("kind").put("group", "networking.istio.io").put("version", "v1").put("kind", "ServiceEntry");
        request.putObject("resource").put("group", "networking.istio.io").put("version", "v1")
                .put("resource", "serviceentries");
        request.put("name", name);
        request.put("namespace", namespace);
        request.put("operation", operation);
        request.putObject("userInfo").put("username", "kubernetes-admin").putArray("groups").add("system:masters");
        request.set("object", object(namespace, name, spec));
        if (oldSpec != null) {
            request.set("oldObject", object(namespace, name, oldSpec));
        }
        request.put("dryRun", dryRun);
        request.putObject("options").put("kind", "CreateOptions").put("apiVersion", "meta.k8s.io/v1");
        return root;
    }

    static ObjectNode object(String namespace, String name, ObjectNode spec) {
        ObjectNode object = F.objectNode();
        object.put("apiVersion", "networking.istio.io/v1");
        object.put("kind", "ServiceEntry");
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("uid", "8d5e1a0c-0000-4000-8000-" + String.format("%012d", Math.abs(name.hashCode())));
        metadata.put("creationTimestamp", "2026-01-01T00:00:00Z");
        metadata.putObject("labels").put("app", name);
        metadata.putObject("annotations").put("owner", "team-" + namespace);
        metadata.putArray("managedFields").addObject().put("manager", "kubectl").put("operation", "Update");
        object.set("spec", spec);
        return object;
    }

    /** Seed 001's second entry: denied against {@link #seeded()}. */
    public static ObjectNode normalColliding() {
        return review("CREATE", "github-check", "ns1", "github",
                spec(List.of("github.com"), List.of(port(443, "TCP")), List.of(), List.of()), null, true);
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- arbitraries -----------------------------------------------------------------------------------------

    static final List<String> PROTOCOLS = List.of("TCP", "TLS", "HTTPS", "HTTP", "HTTP2", "GRPC", "MYSQL", "MONGO",
            "UDP", "REDIS", "tcp", "", "SCTP");

    /** Well-formed reviews of a mix of ServiceEntries: CREATE and UPDATE, allowed, denied and warned. */
    public static Arbitrary<ObjectNode> validReviews() {
        Arbitrary<String> namespace = Arbitraries.of("ns1", "ns2", "ns3", "ns5");
        Arbitrary<String> host = Arbitraries.of("github.com", "api.example.com", "www.huaweicloud.com", "*.x.io",
                "db.internal");
        Arbitrary<ObjectNode> ports = Combinators.combine(Arbitraries.of(443, 8443, 80, 3306, 20050, 9092),
                Arbitraries.of(PROTOCOLS)).as(HostileInputs::port);
        Arbitrary<List<String>> addresses = Arbitraries.of(List.of(), List.of(), List.of("10.0.0.1"),
                List.of("10.0.0.0/24"), List.of("2001:db8::1/128"));
        Arbitrary<List<String>> exportTo = Arbitraries.of(List.of(), List.of("*"), List.of("."), List.of("ns1", "ns3"));
        Arbitrary<ObjectNode> spec = Combinators.combine(host.list().ofMinSize(1).ofMaxSize(2),
                ports.list().ofMinSize(1).ofMaxSize(3), addresses, exportTo).as(HostileInputs::spec);
        return Combinators.combine(Arbitraries.of("CREATE", "UPDATE"), namespace,
                Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12), spec, spec,
                Arbitraries.of(true, false))
                .as((op, ns, name, s, old, dry) -> review(op, "uid-" + name, ns, "e-" + name.toLowerCase(), s,
                        op.equals("UPDATE") ? old : null, dry));
    }

    /** Any bytes at all. */
    public static Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(2048);
    }

    /** A valid review cut short anywhere. */
    public static Arbitrary<byte[]> truncated() {
        return validReviews().flatMap(r -> {
            byte[] whole = bytes(r);
            return Arbitraries.integers().between(0, whole.length - 1)
                    .map(cut -> java.util.Arrays.copyOf(whole, cut));
        });
    }

    /** Arrays or objects nested 10 to 100,000 deep: at the root, as the object, or as spec.hosts. */
    public static Arbitrary<byte[]> deeplyNested() {
        return Combinators.combine(Arbitraries.integers().between(10, 100_000), Arbitraries.of("[", "{\"a\":"),
                Arbitraries.of("root", "object", "hosts")).as((depth, open, where) -> {
                    String close = open.equals("[") ? "]" : "}";
                    String nested = open.repeat(depth) + "1" + close.repeat(depth);
                    if (where.equals("root")) {
                        return nested.getBytes(StandardCharsets.UTF_8);
                    }
                    String review = bytesAsString(normalColliding());
                    String target = where.equals("object") ? "\"object\":" : "\"hosts\":";
                    int at = review.indexOf(target) + target.length();
                    int end = where.equals("object") ? review.indexOf(",\"dryRun\"") : review.indexOf("],", at) + 1;
                    return (review.substring(0, at) + nested + review.substring(end)).getBytes(StandardCharsets.UTF_8);
                });
    }

    static String bytesAsString(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /** Huge arrays in every list meshguard reads: hosts, addresses, exportTo, ports (up to 65,536 of them). */
    public static Arbitrary<ObjectNode> hugeArrays() {
        return Combinators.combine(Arbitraries.of("hosts", "addresses", "exportTo", "ports", "portsAll"),
                Arbitraries.integers().between(1_000, 65_536)).as((field, size) -> {
                    ObjectNode review = normalColliding();
                    ObjectNode spec = (ObjectNode) review.path("request").path("object").path("spec");
                    ArrayNode array = spec.putArray(field.startsWith("ports") ? "ports" : field);
                    for (int i = 0; i < size; i++) {
                        switch (field) {
                            case "hosts" -> array.add("h" + i + ".example.com");
                            case "addresses" -> array.add("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
                            case "exportTo" -> array.add("ns" + i);
                            // 65,536 ports: every number from 0 (invalid) to 65,535.
                            case "portsAll" -> array.add(port(i % 65_536, "TCP"));
                            default -> array.add(port(1 + i % 65_535, i % 2 == 0 ? "TCP" : "TLS"));
                        }
                    }
                    return review;
                });
    }

    /** JSON values of every type; a replacement is only used where the original has another type. */
    public static Arbitrary<JsonNode> wrongValues() {
        return Arbitraries.of(F.numberNode(7), F.numberNode(1.5), F.booleanNode(true), F.textNode("x"),
                F.arrayNode(), F.arrayNode().add(1), F.objectNode(), F.objectNode().put("x", 1));
    }

    /** Every JSON pointer of a tree, containers and leaves. */
    public static List<String> pointers(JsonNode node) {
        List<String> out = new ArrayList<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode node, String at, List<String> out) {
        if (!at.isEmpty()) {
            out.add(at);
        }
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(f -> collect(node.get(f), at + "/" + f.replace("~", "~0")
                    .replace("/", "~1"), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), at + "/" + i, out);
            }
        }
    }

    /** Replaces the node at {@code pointer}; false when the replacement has the same type (no change made). */
    public static boolean replace(JsonNode root, String pointer, JsonNode value) {
        int slash = pointer.lastIndexOf('/');
        JsonNode parent = root.at(pointer.substring(0, slash));
        String last = pointer.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        JsonNode old = root.at(pointer);
        if (old.getNodeType() == value.getNodeType()) {
            return false;
        }
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last, value.deepCopy());
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value.deepCopy());
        }
        return true;
    }

    /** Text with unicode: accents, RTL, CJK, emoji (surrogate pairs), lone surrogates, NUL and controls. */
    public static Arbitrary<String> unicodeText() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40),
                Arbitraries.of("bücher.example", "例子.测试", "مثال.إختبار", "\uD83D\uDE00.example.com", "a\u0000b",
                        "\uD800", "x\uDC00y", "\uDBFF", "\u202Eevil", "e\u0301.com", "\t\n\r"));
    }

    /** Addresses that are not IPs or CIDRs, or only nearly. */
    public static Arbitrary<String> badAddresses() {
        return Arbitraries.oneOf(
                Arbitraries.of("10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/abc", "10.0.0.0/", "/24", "::/129",
                        "1.2.3.4/99999999999999999999", "256.1.1.1", "1.2.3", "1:2:3:4:5:6:7:8:9/64", "[::1]/128",
                        "fe80::1%eth0", "::ffff:1.2.3.4/96", "1.2.3.4:80", "::::", "0x0a000001", "", " ", "10.0.0.1/+8",
                        "１０.0.0.1", "10.0.0.0/24/8"),
                Arbitraries.strings().withChars("0123456789abcdef:./%-[]").ofMinLength(1).ofMaxLength(45));
    }
}
