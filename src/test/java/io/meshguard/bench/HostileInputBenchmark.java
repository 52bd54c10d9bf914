package io.meshguard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.Outcome;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The worst a hostile object costs one review, in process, over what {@code POST /validate} does after the HTTP layer
 * has the bytes (read, route, the rules under the index lock, answer): the index is filled with the blow-up inputs,
 * then the same dry-run review is answered again and again (nothing is learned, so every answer is the same work).
 * Reports each scenario's answer, the median and worst latency of its reviews, the bytes one review allocates, and
 * the heap seen while the reviews ran: the most used (sampled every millisecond, garbage included) and the most
 * left live after a full collection, beside the heap the index holds.
 *
 * <ul>
 * <li>{@code collide}: the index holds 1,000 entries with 256 TCP ports each on 0.0.0.0 (and, {@code collide-1000},
 *     1,000 ports each), the review an entry with 256 TCP ports on the same numbers: it collides with every entry on
 *     every port;</li>
 * <li>{@code exportto}: the index holds 100 entries on port 9000 each exported to 50,000 namespaces by name; the
 *     review is a public entry on port 9000 ({@code exportto}) or one exported to 256 namespaces
 *     ({@code exportto-256});</li>
 * <li>{@code limit-hosts}, {@code limit-addresses}, {@code limit-services}: the review is at the object limits
 *     (16,384 service ports: 256 hosts x 64 ports, 256 addresses x 64 ports, or 4,096 services x 4 ports), beside
 *     1,000 one-port entries on its port numbers; {@code over-services}: 4,096 services x 256 ports, refused;</li>
 * <li>{@code over-limit}: the review lists 50,000 exportTo namespaces and 65,535 ports: refused by the object limits
 *     before any index work.</li>
 * </ul>
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -XX:+UseSerialGC -Xmx144m -Xmn24m -Xss512k -XX:ReservedCodeCacheSize=32m -XX:TieredStopAtLevel=1 \
 *     -cp target/test-classes:target/classes:$(cat target/cp.txt) io.meshguard.bench.HostileInputBenchmark \
 *     [--reviews=10] [--budget-seconds=120] [scenario ...]
 * </pre>
 * The JVM flags are the image's (without {@code -XX:+ExitOnOutOfMemoryError}, so that a scenario that runs out of
 * heap is reported and the next one still runs). Run one scenario per JVM for figures that do not carry over.
 */
public final class HostileInputBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long NOW = 1_767_225_600_000L;
    private static final int PORT_BASE = 10_000;

    /** One scenario: what the index holds, and the review answered again and again. */
    private record Scenario(String name, String description, Supplier<List<ServiceEntryFacts>> index,
            Supplier<byte[]> review) {
    }

    private HostileInputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int reviews = 10;
        long budgetNanos = 120_000_000_000L;
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.startsWith("--reviews=")) {
                reviews = Integer.parseInt(arg.substring("--reviews=".length()));
            } else if (arg.startsWith("--budget-seconds=")) {
                budgetNanos = Long.parseLong(arg.substring("--budget-seconds=".length())) * 1_000_000_000L;
            } else {
                names.add(arg);
            }
        }
        Map<String, Scenario> all = scenarios();
        if (names.isEmpty()) {
            names = new ArrayList<>(all.keySet());
        }
        System.out.printf("JVM %s, %s, max heap %d MiB, %d reviews per scenario (at most %d s), load average %.2f%n",
                System.getProperty("java.vm.version"), ManagementFactory.getGarbageCollectorMXBeans().get(0).getName(),
                Runtime.getRuntime().maxMemory() >> 20, reviews, budgetNanos / 1_000_000_000L,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String name : names) {
            Scenario scenario = all.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("no scenario " + name + "; scenarios: " + all.keySet());
            }
            try {
                run(scenario, reviews, budgetNanos);
            } catch (OutOfMemoryError e) {
                System.out.printf("%-16s OutOfMemoryError: %s%n", scenario.name(), e.getMessage());
            }
        }
    }

    private static void run(Scenario scenario, int reviews, long budgetNanos) {
        System.gc();
        long empty = MEMORY.getHeapMemoryUsage().getUsed();
        long started = System.nanoTime();
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        List<ServiceEntryFacts> entries = scenario.index().get();
        entries.forEach(index::confirm);
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        entries = null;
        AdmissionReviewCodec codec = new AdmissionReviewCodec(JSON);
        AdmissionPipeline pipeline = AdmissionPipeline.validating(codec, List.of(IstioNetworking.serviceEntries(() -> NOW)
                .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                        ServiceEntryIndexValidator.Learning.LEARN))
                .build()));
        System.gc();
        long indexHeap = MEMORY.getHeapMemoryUsage().getUsed() - empty;
        byte[] body = scenario.review().get();
        System.gc();

        AtomicBoolean sampling = new AtomicBoolean(true);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (sampling.get()) {
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        AtomicLong peakAfterGc = new AtomicLong();
        List<Runnable> unregister = afterEachCollection(peakAfterGc);
        sampler.start();
        long[] nanos = new long[reviews + 1];
        long allocated = 0;
        int done = 0;
        Outcome outcome = null;
        long budgetEnd = System.nanoTime() + budgetNanos;
        try {
            // The first review warms the code up; it is reported apart, and counts for the worst case.
            for (int i = 0; i <= reviews && (i < 2 || System.nanoTime() < budgetEnd); i++) {
                long before = allocatedBytes();
                long t0 = System.nanoTime();
                outcome = pipeline.review(body);
                nanos[i] = System.nanoTime() - t0;
                if (i > 0) {
                    allocated = Math.max(allocated, allocatedBytes() - before);
                }
                done = i + 1;
            }
        } finally {
            sampling.set(false);
            unregister.forEach(Runnable::run);
        }
        long[] measured = Arrays.copyOfRange(nanos, 1, Math.max(2, done));
        Arrays.sort(measured);
        long median = measured[measured.length / 2];
        long worst = Math.max(measured[measured.length - 1], nanos[0]);
        List<String> codes = outcome.decision().denials().stream().map(Finding::code).distinct().toList();
        System.out.printf("%-16s %s%n", scenario.name(), scenario.description());
        System.out.printf("%-16s body %,d B; index of %s filled in %,d ms, holding %,d KiB; answer %s %s%n", "",
                body.length, scenario.name(), loadMillis, indexHeap >> 10,
                outcome.allowed() ? "allowed" : "denied", codes);
        System.out.printf("%-16s %d reviews after a first of %,.1f ms: median %,.1f ms, worst %,.1f ms; allocated "
                + "%,d KiB per review (most); heap used at most %,d MiB (garbage included), %s, of %,d MiB%n", "",
                measured.length, nanos[0] / 1e6, median / 1e6, worst / 1e6, allocated >> 10, peak.get() >> 20,
                peakAfterGc.get() == 0 ? "no full collection while they ran"
                        : String.format("%,d MiB live after a full collection", peakAfterGc.get() >> 20),
                Runtime.getRuntime().maxMemory() >> 20);
    }

    /** Keeps in {@code peak} the most heap used right after a full collection: what was live then. */
    private static List<Runnable> afterEachCollection(AtomicLong peak) {
        List<Runnable> unregister = new ArrayList<>();
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            javax.management.NotificationEmitter emitter = (javax.management.NotificationEmitter) gc;
            javax.management.NotificationListener listener = (notification, handback) -> {
                if (!notification.getType().equals(
                        com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) notification.getUserData());
                if (!info.getGcAction().contains("major")) {
                    return; // after a young collection the old generation still holds whatever garbage it got
                }
                long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                        .filter(e -> !e.getKey().contains("Code") && !e.getKey().contains("Metaspace")
                                && !e.getKey().contains("Class"))
                        .mapToLong(e -> e.getValue().getUsed()).sum();
                peak.accumulateAndGet(used, Math::max);
            };
            emitter.addNotificationListener(listener, null, null);
            unregister.add(() -> {
                try {
                    emitter.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException e) {
                    // already gone
                }
            });
        }
        return unregister;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    private static Map<String, Scenario> scenarios() {
        Map<String, Scenario> all = new java.util.LinkedHashMap<>();
        add(all, new Scenario("collide", "1,000 entries x 256 TCP ports on 0.0.0.0; review: 256 TCP ports on the same"
                + " numbers", () -> portEntries(1_000, 256), () -> review(hosts(1), List.of(), ports(256), List.of())));
        add(all, new Scenario("collide-1000", "1,000 entries x 1,000 TCP ports on 0.0.0.0; review: 256 TCP ports on"
                + " the same numbers", () -> portEntries(1_000, 1_000),
                () -> review(hosts(1), List.of(), ports(256), List.of())));
        add(all, new Scenario("exportto", "100 entries on 9000/TCP, each exported to 50,000 namespaces by name;"
                + " review: a public entry on 9000/TCP", () -> exportedEntries(100, 50_000),
                () -> review(hosts(1), List.of(), List.of(9_000), List.of())));
        add(all, new Scenario("exportto-256", "100 entries on 9000/TCP, each exported to 50,000 namespaces by name;"
                + " review: an entry on 9000/TCP exported to 256 of them", () -> exportedEntries(100, 50_000),
                () -> review(hosts(1), List.of(), List.of(9_000), namespaces(256))));
        add(all, new Scenario("limit-hosts", "1,000 one-port entries on 0.0.0.0; review: 256 hosts x 64 TCP ports"
                + " (16,384 service ports, the limit)", () -> portEntries(1_000, 1),
                () -> review(hosts(256), List.of(), ports(64), List.of())));
        add(all, new Scenario("limit-addresses", "1,000 one-port entries on 0.0.0.0; review: 256 addresses x 64 TCP"
                + " ports (the limit)", () -> portEntries(1_000, 1),
                () -> review(hosts(1), addresses(256), ports(64), List.of())));
        add(all, new Scenario("limit-services", "1,000 one-port entries on 0.0.0.0; review: 256 hosts x 16 addresses"
                + " x 4 TCP ports (4,096 services, the limit)", () -> portEntries(1_000, 1),
                () -> review(hosts(256), addresses(16), ports(4), List.of())));
        add(all, new Scenario("over-services", "1,000 one-port entries on 0.0.0.0; review: 256 hosts x 16 addresses"
                + " x 256 TCP ports (1,048,576 service ports, within every limit but that one)",
                () -> portEntries(1_000, 1), () -> review(hosts(256), addresses(16), ports(256), List.of())));
        add(all, new Scenario("over-limit", "1,000 entries x 256 TCP ports; review: 65,535 ports and 50,000"
                + " exportTo namespaces", () -> portEntries(1_000, 256),
                () -> review(hosts(1), List.of(), ports(65_535), namespaces(50_000))));
        add(all, new Scenario("max-nodes", "1,000 entries x 256 TCP ports; review: a 7 MiB body (the size cap) whose"
                + " spec.ports holds 2.4 million empty objects", () -> portEntries(1_000, 256), () -> emptyObjects(
                        7 * 1024 * 1024 - 1024)));
        return all;
    }

    /** A review whose {@code spec.ports} is as many {@code {}} as fit in {@code size} bytes: the most nodes per byte. */
    private static byte[] emptyObjects(int size) {
        String head = new String(review(hosts(1), List.of(), List.of(), List.of()), java.nio.charset.StandardCharsets.UTF_8);
        int at = head.indexOf("\"ports\":[") + "\"ports\":[".length();
        StringBuilder body = new StringBuilder(size + 64).append(head, 0, at);
        int n = (size - head.length()) / 3;
        for (int i = 0; i < n; i++) {
            body.append(i == 0 ? "{}" : ",{}");
        }
        body.append(head.substring(at));
        return body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void add(Map<String, Scenario> all, Scenario scenario) {
        all.put(scenario.name(), scenario);
    }

    /** {@code n} entries, each on the first {@code ports} port numbers over TCP, without addresses, oldest first. */
    private static List<ServiceEntryFacts> portEntries(int n, int ports) {
        List<ServicePort> list = new ArrayList<>(ports);
        for (int p = 0; p < ports; p++) {
            list.add(new ServicePort(PORT_BASE + p % 50_000, "TCP"));
        }
        List<ServiceEntryFacts> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new ServiceEntryFacts(new EntryKey("ns" + i, "e" + i), "", NOW - 86_400_000L + i,
                    List.of("e" + i + ".example.com"), list, List.of(), List.of(), List.of(), Resolution.DNS));
        }
        return entries;
    }

    /** {@code n} entries on 9000/TCP, each exported to the same {@code namespaces} namespaces by name. */
    private static List<ServiceEntryFacts> exportedEntries(int n, int namespaces) {
        List<String> exportTo = namespaces(namespaces);
        List<ServiceEntryFacts> entries = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            entries.add(new ServiceEntryFacts(new EntryKey("ns" + i, "x" + i), "", NOW - 86_400_000L + i,
                    List.of("x" + i + ".example.com"), List.of(new ServicePort(9_000, "TCP")), List.of(), List.of(),
                    exportTo, Resolution.DNS));
        }
        return entries;
    }

    private static List<String> hosts(int n) {
        List<String> hosts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            hosts.add("h" + i + ".hostile.example.com");
        }
        return hosts;
    }

    private static List<String> addresses(int n) {
        List<String> addresses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            addresses.add("10.77." + (i >> 8) + "." + (i & 255));
        }
        return addresses;
    }

    private static List<Integer> ports(int n) {
        List<Integer> ports = new ArrayList<>(n);
        for (int p = 0; p < n; p++) {
            ports.add(1 + (PORT_BASE - 1 + p) % 65_535);
        }
        return ports;
    }

    private static List<String> namespaces(int n) {
        List<String> namespaces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            namespaces.add("team-" + i);
        }
        return namespaces;
    }

    /** A dry-run CREATE of {@code hostile/wide} as the API server sends it. */
    private static byte[] review(List<String> hosts, List<String> addresses, List<Integer> ports,
            List<String> exportTo) {
        ObjectNode root = JSON.createObjectNode();
        root.put("apiVersion", "admission.k8s.io/v1");
        root.put("kind", "AdmissionReview");
        ObjectNode request = root.putObject("request");
        request.put("uid", "hostile-1");
        request.putObject("kind").put("group", "networking.istio.io").put("version", "v1").put("kind", "ServiceEntry");
        request.putObject("resource").put("group", "networking.istio.io").put("version", "v1")
                .put("resource", "serviceentries");
        request.put("name", "wide");
        request.put("namespace", "hostile");
        request.put("operation", "CREATE");
        request.put("dryRun", true);
        ObjectNode object = request.putObject("object");
        object.put("apiVersion", "networking.istio.io/v1");
        object.put("kind", "ServiceEntry");
        object.putObject("metadata").put("name", "wide").put("namespace", "hostile");
        ObjectNode spec = object.putObject("spec");
        ArrayNode h = spec.putArray("hosts");
        hosts.forEach(h::add);
        if (!addresses.isEmpty()) {
            ArrayNode a = spec.putArray("addresses");
            addresses.forEach(a::add);
        }
        ArrayNode p = spec.putArray("ports");
        for (int number : ports) {
            p.addObject().put("number", number).put("name", "tcp-" + number).put("protocol", "TCP");
        }
        if (!exportTo.isEmpty()) {
            ArrayNode e = spec.putArray("exportTo");
            exportTo.forEach(e::add);
        }
        spec.put("resolution", addresses.isEmpty() ? "DNS" : "STATIC");
        spec.put("location", "MESH_EXTERNAL");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
