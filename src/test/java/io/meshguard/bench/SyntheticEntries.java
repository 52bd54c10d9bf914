package io.meshguard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A deterministic population of ServiceEntries for the benchmarks and the heap measurement.
 *
 * <p>Entries are built as the JSON an informer or a review would carry and read through
 * {@link ServiceEntryReader}, so they hold what production facts hold (fresh strings for every value,
 * the same list types). With one seed the first {@code n} entries of a larger population are exactly the
 * population of size {@code n}.
 *
 * <p>{@link Mix#REALISTIC}: about 40 % TLS/HTTPS on 443 with distinct hosts (a quarter of them with 80/HTTP
 * too), 25 % HTTP on 80 or 8080, 25 % TCP on ports 1024-60000 (nine in ten with an address of their own),
 * 5 % MONGO 27017 and 2 % MYSQL 3306 with addresses, and a few wide-CIDR, multi-port, UDP and DYNAMIC_DNS
 * entries. {@link Mix#OTHER_PORTS} is the same population moved off the ports the probes use (443, 80 and
 * {@link #PROBE_TCP_PORT}), so the probes only ever meet the anchor.
 *
 * <p>exportTo is spread over unset, {@code *}, {@code .} and one to three namespace names; namespaces are
 * {@link #NAMESPACES} of them, skewed so a few are large; creation timestamps increase by a minute per entry.
 */
public final class SyntheticEntries {

    public enum Mix { REALISTIC, OTHER_PORTS }

    public static final long SEED = 20240601L;
    public static final int NAMESPACES = 200;
    public static final long BASE_MILLIS = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
    public static final int PROBE_TCP_PORT = 7000;
    /** The address of the anchor and of the colliding TCP probe; no generated entry uses 192.168.0.0/16. */
    public static final String PROBE_TCP_ADDRESS = "192.168.255.1";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] VENDORS = {
        "github.com", "googleapis.com", "amazonaws.com", "azure.com", "stripe.com", "twilio.com", "sendgrid.net",
        "salesforce.com", "slack.com", "datadoghq.com", "example.com", "example.org", "cloudflare.com"};

    private final Random random;
    private final Mix mix;
    private int next;

    public SyntheticEntries(Mix mix) {
        this(SEED, mix);
    }

    public SyntheticEntries(long seed, Mix mix) {
        this.random = new Random(seed);
        this.mix = mix;
    }

    public static String namespace(int i) {
        return String.format("ns-%03d", i);
    }

    /** Confirms the anchor and {@code n} generated entries; returns the index's size. */
    public static int populate(ServiceEntryIndex index, int n, Mix mix) {
        index.confirm(anchorTcp());
        new SyntheticEntries(mix).forEach(n, index::confirm);
        return index.size();
    }

    public void forEach(int n, Consumer<ServiceEntryFacts> sink) {
        for (int k = 0; k < n; k++) {
            sink.accept(next());
        }
    }

    public List<ServiceEntryFacts> list(int n) {
        List<ServiceEntryFacts> out = new ArrayList<>(n);
        forEach(n, out::add);
        return out;
    }

    public ServiceEntryFacts next() {
        int i = next++;
        String namespace = namespace(skewedNamespace());
        ObjectNode se = object(namespace, "se-" + i, i);
        ObjectNode spec = se.putObject("spec");
        ArrayNode hosts = spec.putArray("hosts");
        ArrayNode ports = spec.putArray("ports");
        String resolution;
        double kind = random.nextDouble();
        if (kind < 0.40) {
            // TLS or HTTPS on 443 with hosts of their own; a quarter also serve plain HTTP on 80.
            int hostCount = random.nextInt(10) < 8 ? 1 : 2 + random.nextInt(2);
            for (int h = 0; h < hostCount; h++) {
                hosts.add(fresh("api-" + i + "-" + h + "." + VENDORS[random.nextInt(VENDORS.length)]));
            }
            port(ports, tlsPort(), random.nextBoolean() ? "TLS" : "HTTPS");
            if (random.nextInt(4) == 0) {
                port(ports, httpPort(), "HTTP");
            }
            resolution = "DNS";
            maybeStatusAddress(se, i);
        } else if (kind < 0.65) {
            hosts.add(fresh("web-" + i + "." + VENDORS[random.nextInt(VENDORS.length)]));
            port(ports, random.nextInt(5) == 0 ? 8080 : httpPort(), random.nextInt(10) == 0 ? "HTTP2" : "HTTP");
            resolution = "DNS";
            maybeStatusAddress(se, i);
        } else if (kind < 0.90) {
            hosts.add(fresh("tcp-" + i + ".internal.example.net"));
            port(ports, tcpPort(), random.nextInt(5) == 0 ? null : "TCP");
            if (random.nextInt(10) < 9) {
                spec.putArray("addresses").add(uniqueAddress(i));
                resolution = "STATIC";
            } else {
                resolution = "DNS";
                maybeStatusAddress(se, i);
            }
        } else if (kind < 0.95) {
            hosts.add(fresh("mongo-" + i + ".db.example.net"));
            port(ports, 27017, "MONGO");
            spec.putArray("addresses").add(uniqueAddress(i));
            resolution = "STATIC";
        } else if (kind < 0.97) {
            hosts.add(fresh("mysql-" + i + ".db.example.net"));
            port(ports, 3306, "MYSQL");
            spec.putArray("addresses").add(uniqueAddress(i));
            resolution = "STATIC";
        } else if (kind < 0.98) {
            // A wide CIDR: filed under 0.0.0.0 qualified by the masked CIDR.
            hosts.add(fresh("range-" + i + ".corp.example.net"));
            port(ports, tcpPort(), "TCP");
            spec.putArray("addresses").add(fresh("10." + (i % 250) + "." + (i / 250 % 250) + ".0/24"));
            resolution = "NONE";
        } else if (kind < 0.99) {
            // Not indexed: a UDP-only entry, or a DYNAMIC_DNS wildcard.
            if (random.nextBoolean()) {
                hosts.add(fresh("dns-" + i + ".resolver.example.net"));
                port(ports, 53, "UDP");
                spec.putArray("addresses").add(uniqueAddress(i));
                resolution = "STATIC";
            } else {
                hosts.add(fresh("*.wild-" + i + ".example.com"));
                port(ports, tlsPort(), "TLS");
                resolution = "DYNAMIC_DNS";
            }
        } else {
            // A multi-port TCP entry (Kafka-like) with an address of its own.
            hosts.add(fresh("kafka-" + i + ".stream.example.net"));
            port(ports, 9092, "TCP");
            port(ports, 9093, "TLS");
            port(ports, 9094, "TCP");
            spec.putArray("addresses").add(uniqueAddress(i));
            resolution = "STATIC";
        }
        spec.put("resolution", fresh(resolution));
        exportTo(spec);
        return ServiceEntryReader.read(se, null, BASE_MILLIS);
    }

    /** The one entry the colliding TCP probe meets: same port, same address, visible everywhere. */
    public static ServiceEntryFacts anchorTcp() {
        ObjectNode se = object("anchors", "anchor-tcp", -1);
        ObjectNode spec = se.putObject("spec");
        spec.putArray("hosts").add("anchor.internal.example.net");
        port(spec.putArray("ports"), PROBE_TCP_PORT, "TCP");
        spec.putArray("addresses").add(PROBE_TCP_ADDRESS);
        spec.put("resolution", "STATIC");
        return ServiceEntryReader.read(se, null, BASE_MILLIS);
    }

    /** (a) A new TCP entry on the anchor's port and address: collides with exactly the anchor, so denied. */
    public static ServiceEntryFacts tcpCollidingProbe() {
        ObjectNode spec = JSON.objectNode();
        spec.putArray("hosts").add("probe-tcp.internal.example.net");
        port(spec.putArray("ports"), PROBE_TCP_PORT, "TCP");
        spec.putArray("addresses").add(PROBE_TCP_ADDRESS);
        spec.put("resolution", "STATIC");
        return probe("probe-tcp", spec);
    }

    /** (b) A new TLS entry on 443 with a host nobody declares: allowed. */
    public static ServiceEntryFacts tlsFreshHostProbe() {
        ObjectNode spec = JSON.objectNode();
        spec.putArray("hosts").add("fresh-host.probe.example.com");
        port(spec.putArray("ports"), 443, "TLS");
        spec.put("resolution", "DNS");
        return probe("probe-tls", spec);
    }

    /** (c) A new HTTP entry on 80: allowed. */
    public static ServiceEntryFacts httpProbe() {
        ObjectNode spec = JSON.objectNode();
        spec.putArray("hosts").add("probe-http.example.com");
        port(spec.putArray("ports"), 80, "HTTP");
        spec.put("resolution", "DNS");
        return probe("probe-http", spec);
    }

    private static ServiceEntryFacts probe(String name, ObjectNode spec) {
        ObjectNode se = JSON.objectNode();
        se.put("apiVersion", "networking.istio.io/v1");
        se.put("kind", "ServiceEntry");
        ObjectNode metadata = se.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", "bench-probe");
        se.set("spec", spec);
        // A CREATE: not persisted, no creationTimestamp, so the review time stands in for it.
        return ServiceEntryReader.read(se, "bench-probe", Instant.parse("2030-01-01T00:00:00Z").toEpochMilli());
    }

    private static ObjectNode object(String namespace, String name, int i) {
        ObjectNode se = JSON.objectNode();
        se.put("apiVersion", "networking.istio.io/v1");
        se.put("kind", "ServiceEntry");
        ObjectNode metadata = se.putObject("metadata");
        metadata.put("name", fresh(name));
        metadata.put("namespace", fresh(namespace));
        metadata.put("uid", new UUID(0x5eL << 56 | i, ~(long) i).toString());
        metadata.put("creationTimestamp", Instant.ofEpochMilli(BASE_MILLIS + (i + 1) * 60_000L).toString());
        return se;
    }

    private static void port(ArrayNode ports, int number, String protocol) {
        ObjectNode port = ports.addObject();
        port.put("number", number);
        port.put("name", fresh((protocol == null ? "tcp" : protocol.toLowerCase()) + "-" + number));
        if (protocol != null) {
            port.put("protocol", fresh(protocol));
        }
    }

    private int skewedNamespace() {
        double r = random.nextDouble();
        return (int) (NAMESPACES * r * r);
    }

    private int tlsPort() {
        return mix == Mix.REALISTIC ? 443 : 8443 + random.nextInt(100);
    }

    private int httpPort() {
        return mix == Mix.REALISTIC ? 80 : 8000 + random.nextInt(79);
    }

    private int tcpPort() {
        int port = 1024 + random.nextInt(60000 - 1024 + 1);
        return mix == Mix.OTHER_PORTS && port == PROBE_TCP_PORT ? port + 1 : port;
    }

    private void exportTo(ObjectNode spec) {
        int r = random.nextInt(100);
        if (r < 50) {
            return;
        }
        ArrayNode exportTo = spec.putArray("exportTo");
        if (r < 65) {
            exportTo.add(fresh("*"));
        } else if (r < 90) {
            exportTo.add(fresh("."));
        } else {
            if (random.nextBoolean()) {
                exportTo.add(fresh("."));
            }
            int names = 1 + random.nextInt(3);
            for (int k = 0; k < names; k++) {
                exportTo.add(namespace(random.nextInt(NAMESPACES)));
            }
        }
    }

    /** Half the entries without addresses carry an auto-allocated status address, as Istio 1.23+ writes. */
    private void maybeStatusAddress(ObjectNode se, int i) {
        if (random.nextBoolean()) {
            se.putObject("status").putArray("addresses").addObject()
                    .put("value", fresh("240.240." + (i >> 8 & 255) + "." + (i & 255)));
        }
    }

    /** 10.x.y.z from the entry's number: distinct for every entry of a population under 2^24. */
    private static String uniqueAddress(int i) {
        int a = i + 1;
        return "10." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
    }

    /** A string that shares nothing with a literal, as one parsed from JSON would. */
    private static String fresh(String s) {
        return new String(s.toCharArray());
    }
}
