package io.meshguard.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * N realistic ServiceEntries that do not collide with each other, and AdmissionReviews against them, all
 * deterministic by seed. The entries follow the shapes real clusters hold:
 * <ul>
 * <li>HTTPS/TLS APIs on 443 or 8443, each with its own hosts: TLS chains are told apart by SNI;</li>
 * <li>HTTP services on 80/8080/8000/9080: HTTP never collides with HTTP;</li>
 * <li>TCP services with {@code addresses} (an IP of their own, a quarter of them a /28 CIDR): their own listener;</li>
 * <li>TCP services without addresses exported only to their own namespace ({@code exportTo: ["."]}, the fix
 *     seed 001 recommends), at most one per port and namespace;</li>
 * <li>MongoDB on 27017 with an address of its own.</li>
 * </ul>
 * exportTo is spread over unset, {@code *}, {@code .} and lists of namespaces. Namespaces: max(20, N/50).
 */
public final class SyntheticCluster {

    public enum Shape { TLS, HTTP, TCP_ADDRESSED, TCP_WILDCARD_PRIVATE, MONGO }

    /** One generated entry: the object as the API server stores it, and what the generator chose. */
    public record Entry(ObjectNode object, Shape shape, String namespace, String name, int port, String protocol,
            String host, String address, List<String> exportTo) {
    }

    /** The review kinds of the load mix, with what the webhook must answer. */
    public enum ReviewKind { ALLOWED, DENIED, WARNED, UPDATE }

    public record Review(ReviewKind kind, String uid, ObjectNode body) {
    }

    static final int[] HTTP_PORTS = {80, 8080, 8000, 9080};
    static final int[] TLS_PORTS = {443, 443, 443, 8443};
    /** Raw TCP ports; wildcard TCP entries pick one not yet taken in their namespace. */
    static final int[] TCP_PORTS = {443, 5432, 6379, 9092, 9200, 11211, 1521, 1433};
    static final String[] VENDORS = {"amazonaws.com", "googleapis.com", "github.com", "huaweicloud.com",
        "salesforce.com", "stripe.com", "twilio.com", "datadoghq.com", "azure.com", "slack.com"};
    static final long EPOCH_2023 = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
    static final long THREE_YEARS = 3L * 365 * 24 * 3600 * 1000;
    static final String CREATED_NOW = "2026-01-01T00:00:00Z";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final int size;
    private final long seed;
    private final int namespaceCount;
    private final List<Entry> entries = new ArrayList<>();
    private final List<Entry> wildcardTcp = new ArrayList<>();
    private final Set<String> takenWildcardPorts = new HashSet<>();
    private int nextUnique;

    public SyntheticCluster(int size, long seed) {
        this.size = size;
        this.seed = seed;
        this.namespaceCount = Math.max(20, size / 50);
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            entries.add(generate(random, i, pickShape(random)));
        }
        nextUnique = size;
    }

    public List<Entry> entries() {
        return entries;
    }

    public int namespaceCount() {
        return namespaceCount;
    }

    static String namespace(int i) {
        return "team-" + i;
    }

    private Shape pickShape(Random random) {
        int roll = random.nextInt(100);
        if (roll < 35) {
            return Shape.TLS;
        } else if (roll < 60) {
            return Shape.HTTP;
        } else if (roll < 80) {
            return Shape.TCP_ADDRESSED;
        } else if (roll < 90) {
            return Shape.TCP_WILDCARD_PRIVATE;
        }
        return Shape.MONGO;
    }

    /** A fresh, unique entry of a shape that can never collide with another generated one. */
    private Entry generate(Random random, int i, Shape shape) {
        String namespace = namespace(random.nextInt(namespaceCount));
        String name = "ext-" + i;
        List<String> exportTo = exportTo(random, namespace);
        long created = EPOCH_2023 + (long) (random.nextDouble() * THREE_YEARS);
        return switch (shape) {
            case TLS -> {
                String host = "api-" + i + "." + VENDORS[random.nextInt(VENDORS.length)];
                int port = TLS_PORTS[random.nextInt(TLS_PORTS.length)];
                String protocol = random.nextBoolean() ? "HTTPS" : "TLS";
                List<String> hosts = random.nextInt(4) == 0 ? List.of(host, "www-" + host) : List.of(host);
                yield entry(shape, namespace, name, created, hosts, port, protocol, null, exportTo, "DNS");
            }
            case HTTP -> {
                String host = "svc-" + i + ".partner" + (i % 97) + ".example.org";
                int port = HTTP_PORTS[random.nextInt(HTTP_PORTS.length)];
                String protocol = random.nextInt(5) == 0 ? "HTTP2" : "HTTP";
                yield entry(shape, namespace, name, created, List.of(host), port, protocol, null, exportTo, "DNS");
            }
            case TCP_ADDRESSED -> {
                String host = "db-" + i + ".internal.example.net";
                int port = TCP_PORTS[random.nextInt(TCP_PORTS.length)];
                String address = random.nextInt(4) == 0 ? cidr28(i) : hostIp(i);
                yield entry(shape, namespace, name, created, List.of(host), port, "TCP", address, exportTo, "STATIC");
            }
            case TCP_WILDCARD_PRIVATE -> {
                int port = freeWildcardPort(random, namespace);
                if (port < 0) {
                    yield generateAddressed(random, i, namespace, name, created, exportTo);
                }
                String host = "legacy-" + i + ".corp.example.com";
                Entry e = entry(shape, namespace, name, created, List.of(host), port, "TCP", null, List.of("."), "DNS");
                wildcardTcp.add(e);
                yield e;
            }
            case MONGO -> entry(shape, namespace, name, created, List.of("mongo-" + i + ".db.example.net"), 27017,
                    "MONGO", hostIp(i), exportTo, "STATIC");
        };
    }

    private Entry generateAddressed(Random random, int i, String namespace, String name, long created,
            List<String> exportTo) {
        int port = TCP_PORTS[random.nextInt(TCP_PORTS.length)];
        return entry(Shape.TCP_ADDRESSED, namespace, name, created, List.of("db-" + i + ".internal.example.net"), port,
                "TCP", hostIp(i), exportTo, "STATIC");
    }

    private int freeWildcardPort(Random random, String namespace) {
        int start = random.nextInt(TCP_PORTS.length);
        for (int k = 0; k < TCP_PORTS.length; k++) {
            int port = TCP_PORTS[(start + k) % TCP_PORTS.length];
            if (takenWildcardPorts.add(namespace + "|" + port)) {
                return port;
            }
        }
        return -1;
    }

    /** A unique IPv4 address in 10.128.0.0/9 for entry i. */
    static String hostIp(int i) {
        int v = (10 << 24) | (1 << 23) | (i + 1);
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }

    /** A unique /28 in 100.64.0.0/10 for entry i. */
    static String cidr28(int i) {
        int v = (100 << 24) | (64 << 16) | (i << 4);
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255) + "/28";
    }

    private List<String> exportTo(Random random, String namespace) {
        int roll = random.nextInt(10);
        if (roll < 3) {
            return List.of();
        } else if (roll < 6) {
            return List.of("*");
        } else if (roll < 8) {
            return List.of(".");
        }
        List<String> list = new ArrayList<>(List.of("."));
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
            String other = namespace(random.nextInt(namespaceCount));
            if (!list.contains(other) && !other.equals(namespace)) {
                list.add(other);
            }
        }
        return list;
    }

    private Entry entry(Shape shape, String namespace, String name, long createdMillis, List<String> hosts, int port,
            String protocol, String address, List<String> exportTo, String resolution) {
        ObjectNode object = F.objectNode();
        object.put("apiVersion", "networking.istio.io/v1");
        object.put("kind", "ServiceEntry");
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        metadata.put("uid", uuid(namespace + "/" + name));
        metadata.put("resourceVersion", Integer.toString(1000 + Math.abs((namespace + name).hashCode() % 900000)));
        metadata.put("generation", 1);
        metadata.put("creationTimestamp", Instant.ofEpochMilli(createdMillis - createdMillis % 1000).toString());
        ObjectNode labels = metadata.putObject("labels");
        labels.put("app.kubernetes.io/part-of", namespace);
        labels.put("team", namespace);
        ObjectNode spec = object.putObject("spec");
        ArrayNode hostArray = spec.putArray("hosts");
        hosts.forEach(hostArray::add);
        if (address != null) {
            spec.putArray("addresses").add(address);
        }
        ObjectNode portNode = spec.putArray("ports").addObject();
        portNode.put("number", port);
        portNode.put("name", protocol.toLowerCase() + "-" + port);
        portNode.put("protocol", protocol);
        spec.put("location", "MESH_EXTERNAL");
        spec.put("resolution", resolution);
        if ("STATIC".equals(resolution) && address != null && !address.contains("/")) {
            spec.putArray("endpoints").addObject().put("address", address);
        }
        if (!exportTo.isEmpty()) {
            ArrayNode export = spec.putArray("exportTo");
            exportTo.forEach(export::add);
        }
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put("kubectl.kubernetes.io/last-applied-configuration", lastApplied(object));
        ArrayNode managed = metadata.putArray("managedFields");
        ObjectNode field = managed.addObject();
        field.put("manager", "kubectl-client-side-apply");
        field.put("operation", "Update");
        field.put("apiVersion", "networking.istio.io/v1");
        field.put("time", metadata.get("creationTimestamp").asText());
        field.put("fieldsType", "FieldsV1");
        ObjectNode fields = field.putObject("fieldsV1");
        fields.putObject("f:metadata").putObject("f:annotations").putObject(".");
        ObjectNode specFields = fields.putObject("f:spec");
        specFields.putObject("f:hosts");
        specFields.putObject("f:ports");
        specFields.putObject("f:location");
        specFields.putObject("f:resolution");
        return new Entry(object, shape, namespace, name, port, protocol, hosts.get(0), address, exportTo);
    }

    private static String lastApplied(ObjectNode object) {
        ObjectNode applied = F.objectNode();
        applied.put("apiVersion", object.get("apiVersion").asText());
        applied.put("kind", "ServiceEntry");
        ObjectNode metadata = applied.putObject("metadata");
        metadata.put("name", object.path("metadata").path("name").asText());
        metadata.put("namespace", object.path("metadata").path("namespace").asText());
        metadata.set("labels", object.path("metadata").path("labels").deepCopy());
        applied.set("spec", object.get("spec").deepCopy());
        return applied.toString() + "\n";
    }

    static String uuid(String text) {
        return java.util.UUID.nameUUIDFromBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }

    // --- reviews ----------------------------------------------------------------------------------------

    /**
     * {@code count} AdmissionReviews against these entries: 40% allowed CREATEs (dry run, so the index does not
     * grow), 20% CREATEs denied for colliding with a generated entry, 20% allowed with warnings (dry run), 20%
     * UPDATEs of a generated entry that change its labels and port name (the index ends as it began).
     */
    public List<Review> reviews(int count, long reviewSeed) {
        Random random = new Random(reviewSeed);
        List<Review> reviews = new ArrayList<>();
        for (int j = 0; j < count; j++) {
            int roll = j % 10;
            ReviewKind kind = roll < 4 ? ReviewKind.ALLOWED : roll < 6 ? ReviewKind.DENIED
                    : roll < 8 ? ReviewKind.WARNED : ReviewKind.UPDATE;
            String uid = uuid("review-" + reviewSeed + "-" + j);
            reviews.add(new Review(kind, uid, switch (kind) {
                case ALLOWED -> allowed(random, uid);
                case DENIED -> denied(random, uid);
                case WARNED -> warned(random, uid);
                case UPDATE -> update(random, uid);
            }));
        }
        return reviews;
    }

    private ObjectNode allowed(Random random, String uid) {
        Shape[] shapes = {Shape.TLS, Shape.HTTP, Shape.TCP_ADDRESSED, Shape.MONGO};
        Entry fresh = freshEntry(random, shapes[random.nextInt(shapes.length)]);
        return review(uid, "CREATE", creating(fresh.object()), null, true);
    }

    private ObjectNode denied(Random random, String uid) {
        // A TLS victim is not one: two declarations of one host are not always a collision under the listener model
        // (an identical one is a DuplicateHost warning, and which namespaces see both decides the rest).
        Entry victim;
        do {
            victim = entries.get(random.nextInt(entries.size()));
        } while (victim.shape() == Shape.TLS);
        int i = nextUnique++;
        String namespace = otherNamespace(random, victim.namespace());
        String name = "clash-" + i;
        long created = Instant.parse(CREATED_NOW).toEpochMilli();
        Entry clash = switch (victim.shape()) {
            // The same host on the same port, declared differently (the other of TLS and HTTPS), from another
            // namespace, exported everywhere: the victim's namespace sees two declarations of the host.
            case TLS -> entry(Shape.TLS, namespace, name, created, List.of(victim.host()), victim.port(),
                    "TLS".equals(victim.protocol()) ? "HTTPS" : "TLS", null, List.of("*"), "DNS");
            // HTTP never collides with HTTP: clash on the port with MySQL, whose filter drops the other service.
            case HTTP -> entry(Shape.TCP_WILDCARD_PRIVATE, namespace, name, created, List.of("mysql-" + i + ".example.com"),
                    victim.port(), "MYSQL", null, List.of("*"), "DNS");
            // The same address and port.
            case TCP_ADDRESSED, MONGO -> entry(Shape.TCP_ADDRESSED, namespace, name, created,
                    List.of("copy-" + i + ".example.com"), victim.port(), "TCP", victim.address(), List.of("*"), "STATIC");
            // Seed 001: the same port on 0.0.0.0, exported everywhere, so the victim's namespace sees both.
            case TCP_WILDCARD_PRIVATE -> entry(Shape.TCP_WILDCARD_PRIVATE, namespace, name, created,
                    List.of("new-" + i + ".example.com"), victim.port(), "TCP", null, List.of("*"), "DNS");
        };
        return review(uid, "CREATE", creating(clash.object()), null, false);
    }

    private ObjectNode warned(Random random, String uid) {
        int i = nextUnique++;
        long created = Instant.parse(CREATED_NOW).toEpochMilli();
        if (!wildcardTcp.isEmpty() && random.nextBoolean()) {
            // HTTP beside a private wildcard TCP entry on its port, in its namespace: a sniffing listener.
            Entry tcp = wildcardTcp.get(random.nextInt(wildcardTcp.size()));
            Entry http = entry(Shape.HTTP, tcp.namespace(), "web-" + i, created, List.of("web-" + i + ".example.org"),
                    tcp.port(), "HTTP", null, List.of("."), "DNS");
            return review(uid, "CREATE", creating(http.object()), null, true);
        }
        // Seed 000: a raw TCP port (Kafka) declared GRPC.
        Entry grpc = entry(Shape.HTTP, namespace(random.nextInt(namespaceCount)), "kafka-" + i, created,
                List.of("kafka-" + i + ".example.net"), 9092, "GRPC", null, List.of("."), "DNS");
        return review(uid, "CREATE", creating(grpc.object()), null, true);
    }

    private ObjectNode update(Random random, String uid) {
        Entry old = entries.get(random.nextInt(entries.size()));
        ObjectNode object = old.object().deepCopy();
        ObjectNode metadata = (ObjectNode) object.get("metadata");
        ((ObjectNode) metadata.get("labels")).put("revision", "r" + random.nextInt(1000));
        metadata.put("generation", 2);
        ((ObjectNode) object.path("spec").path("ports").get(0)).put("name", "renamed-" + old.port());
        return review(uid, "UPDATE", object, old.object(), false);
    }

    private Entry freshEntry(Random random, Shape shape) {
        int i = nextUnique++;
        Entry e = generate(random, i, shape);
        ((ObjectNode) e.object().get("metadata")).put("creationTimestamp", CREATED_NOW);
        return e;
    }

    private String otherNamespace(Random random, String not) {
        String namespace;
        do {
            namespace = namespace(random.nextInt(namespaceCount));
        } while (namespace.equals(not));
        return namespace;
    }

    /** A CREATE's object: no resourceVersion or generation yet; uid and creationTimestamp set by the API server. */
    private static ObjectNode creating(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.get("metadata");
        metadata.remove("resourceVersion");
        metadata.put("creationTimestamp", CREATED_NOW);
        return copy;
    }

    private static ObjectNode review(String uid, String operation, ObjectNode object, ObjectNode oldObject,
            boolean dryRun) {
        ObjectNode root = F.objectNode();
        root.put("kind", "AdmissionReview");
        root.put("apiVersion", "admission.k8s.io/v1");
        ObjectNode request = root.putObject("request");
        request.put("uid", uid);
        ObjectNode gvk = F.objectNode().put("group", "networking.istio.io").put("version", "v1").put("kind", "ServiceEntry");
        ObjectNode gvr = F.objectNode().put("group", "networking.istio.io").put("version", "v1")
                .put("resource", "serviceentries");
        request.set("kind", gvk);
        request.set("resource", gvr);
        request.set("requestKind", gvk.deepCopy());
        request.set("requestResource", gvr.deepCopy());
        JsonNode metadata = object.get("metadata");
        request.put("name", metadata.get("name").asText());
        request.put("namespace", metadata.get("namespace").asText());
        request.put("operation", operation);
        ObjectNode user = request.putObject("userInfo");
        user.put("username", "system:serviceaccount:argocd:argocd-application-controller");
        user.put("uid", uuid("argocd"));
        user.putArray("groups").add("system:serviceaccounts").add("system:serviceaccounts:argocd")
                .add("system:authenticated");
        request.set("object", object);
        request.set("oldObject", oldObject == null ? F.nullNode() : oldObject);
        request.put("dryRun", dryRun);
        ObjectNode options = request.putObject("options");
        options.put("kind", operation.equals("CREATE") ? "CreateOptions" : "UpdateOptions");
        options.put("apiVersion", "meta.k8s.io/v1");
        options.put("fieldManager", "argocd-controller");
        return root;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public long seed() {
        return seed;
    }

    public int size() {
        return size;
    }
}
