package io.meshguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshguard.cluster.CompanionCache;
import io.meshguard.cluster.CompanionStores;
import io.meshguard.cluster.CompanionWatch;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.controller.Backoff;
import io.meshguard.companions.controller.CompanionController;
import io.meshguard.companions.controller.CompanionEvents;
import io.meshguard.companions.controller.CompanionWriter;
import io.meshguard.companions.controller.Reconciler;
import io.meshguard.load.SyntheticCluster;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The companion controller at scale, over fabric8's informer caches ({@link CacheImpl}, the store and indexes a
 * {@code SharedIndexInformer} keeps) filled directly with {@link SyntheticCluster}'s entries rather than listed
 * from a mock API server, and the real {@link CompanionStores}, {@link Reconciler}, planner and work queue. The
 * writer writes back into the caches and delivers the change as the informer would, so nothing but the API
 * server's round trip is left out.
 *
 * <ol>
 * <li><b>Cost per event</b>, for 1k, 10k and 100k entries with 10,000 VirtualServices in the cluster (the
 * companions of the first entries, topped up with hand-written VirtualServices of other hosts where the entries
 * plan fewer): an entry event (route it, reconcile the entry) and a VirtualService event (route it to its owner
 * and to the entries naming its hosts, reconcile them), in steady state, where nothing needs writing. Beside
 * it, what the earlier controller did on each event at the least, before any planning: turn the whole
 * VirtualService store into JSON (every reconcile) and the whole entry store (every VirtualService event).</li>
 * <li><b>Settling</b> after the initial sync of 100k entries: the time from the controller's start (every
 * stored entry queued, as the informer replays them) until the work queue is idle, first with no companion in
 * the cluster (every one written), then again with all of them in place (a restart: nothing written).</li>
 * </ol>
 *
 * <pre>
 * MAVEN_OPTS="-Xmx3g" mvn -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.meshguard.bench.CompanionControllerBenchmark [-Dexec.args="--sizes 1000,10000,100000"]
 * </pre>
 */
public final class CompanionControllerBenchmark {

    static final int COMPANIONS = 10_000;
    static final int WARMUP_EVENTS = 20_000;
    static final int MEASURED_EVENTS = 20_000;
    static final int ROUNDS = 3;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CompanionControllerBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        int[] sizes = {1_000, 10_000, 100_000};
        int settle = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).filter(size -> !size.isBlank())
                        .mapToInt(Integer::parseInt).filter(size -> size > 0).toArray();
                case "--settle" -> settle = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (usage: [--sizes 1000,10000,100000] [--settle 100000]; 0 skips either)");
            }
        }
        System.out.printf("java %s, %d cores, max heap %d MiB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        System.out.println("| entries | VirtualServices (companions) | entry event: wall p50 / p99, CPU mean (µs)"
                + " | VirtualService event: wall p50 / p99, CPU mean (µs) | writes | before, per reconcile:"
                + " VirtualService store to JSON (CPU ms) | before, per VirtualService event: entry store to JSON"
                + " (CPU ms) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int size : sizes) {
            perEvent(size);
        }
        if (settle > 0) {
            settle(settle);
        }
    }

    // --- cost per event -----------------------------------------------------------------------------

    static void perEvent(int size) {
        Cluster cluster = new Cluster(new SyntheticCluster(size, 1));
        Loopback writer = new Loopback(cluster, key -> { });
        Reconciler reconciler = new Reconciler(cluster.stores, planner(), writer, Cluster.NO_EVENTS);
        // The companions of the first entries, written by the controller itself, until there are 10,000.
        List<EntryKey> settled = new ArrayList<>();
        for (EntryKey key : cluster.keys) {
            if (cluster.virtualServices.list().size() >= COMPANIONS) {
                break;
            }
            reconciler.reconcile(key);
            settled.add(key);
        }
        int companions = cluster.virtualServices.list().size();
        for (int i = 0; cluster.virtualServices.list().size() < COMPANIONS; i++) {
            cluster.put(cluster.virtualServices, handWritten(i));
        }
        List<GenericKubernetesResource> companionVirtualServices = cluster.virtualServices.list().stream()
                .filter(vs -> vs.getMetadata().getLabels() != null
                        && vs.getMetadata().getLabels().containsKey("app.kubernetes.io/managed-by"))
                .toList();

        Random random = new Random(7);
        List<EntryKey> affected = new ArrayList<>();
        Consumer<EntryKey> collect = affected::add;
        Runnable entryEvent = () -> {
            EntryKey key = settled.get(random.nextInt(settled.size()));
            affected.clear();
            cluster.stores.entryChanged(cluster.entries.getByKey(key.namespace() + "/" + key.name()), collect);
            affected.forEach(reconciler::reconcile);
        };
        Runnable virtualServiceEvent = () -> {
            GenericKubernetesResource vs = companionVirtualServices.get(random.nextInt(companionVirtualServices.size()));
            affected.clear();
            cluster.stores.virtualServiceChanged(vs, collect);
            affected.stream().distinct().forEach(reconciler::reconcile);
        };
        long writesBefore = writer.writes.get();
        double[] entryMicros = measure(entryEvent);
        double[] vsMicros = measure(virtualServiceEvent);
        long writes = writer.writes.get() - writesBefore;
        System.out.printf("| %,d | %,d (%,d) | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %d | %.1f | %.1f |%n", size,
                cluster.virtualServices.list().size(), companions, entryMicros[0], entryMicros[1], entryMicros[2],
                vsMicros[0], vsMicros[1], vsMicros[2], writes, storeToJsonMillis(cluster.virtualServices),
                storeToJsonMillis(cluster.entries));
    }

    /**
     * p50 and p99 of one event's wall-clock time, and its mean CPU time (the calling thread's), in µs, after a
     * warm-up: the round with the median CPU mean of {@link #ROUNDS}. On a shared machine the wall-clock tail is
     * mostly other processes; the CPU time is not.
     */
    static double[] measure(Runnable event) {
        for (int i = 0; i < WARMUP_EVENTS; i++) {
            event.run();
        }
        List<double[]> rounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long[] nanos = new long[MEASURED_EVENTS];
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < MEASURED_EVENTS; i++) {
                long start = System.nanoTime();
                event.run();
                nanos[i] = System.nanoTime() - start;
            }
            long cpu = THREADS.getCurrentThreadCpuTime() - cpuStart;
            Arrays.sort(nanos);
            rounds.add(new double[] {nanos[nanos.length / 2] / 1e3, nanos[(int) (nanos.length * 0.99)] / 1e3,
                cpu / 1e3 / MEASURED_EVENTS});
        }
        rounds.sort((a, b) -> Double.compare(a[2], b[2]));
        return rounds.get(ROUNDS / 2);
    }

    /** What the earlier controller did on every event: a whole store as JSON. Best of 3, CPU ms. */
    static double storeToJsonMillis(Indexer<GenericKubernetesResource> store) {
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long start = THREADS.getCurrentThreadCpuTime();
            long fields = 0;
            for (GenericKubernetesResource object : store.list()) {
                fields += SERIALIZATION.convertValue(object, JsonNode.class).size();
            }
            best = Math.min(best, (THREADS.getCurrentThreadCpuTime() - start) / 1e6);
            if (fields == 0) {
                throw new IllegalStateException("empty store");
            }
        }
        return best;
    }

    // --- settling after the initial sync ----------------------------------------------------------------

    static void settle(int size) throws InterruptedException {
        Cluster cluster = new Cluster(new SyntheticCluster(size, 1));
        System.out.printf("%nsettling after an initial sync of %,d entries (%d namespaces):%n", size,
                cluster.keys.stream().map(EntryKey::namespace).distinct().count());
        for (String run : List.of("first start, no companion in the cluster", "restart, every companion in place")) {
            AtomicLong reconciles = new AtomicLong();
            ReplayWatch watch = new ReplayWatch(cluster.keys);
            Loopback writer = new Loopback(cluster, key -> watch.affected.accept(key));
            CompanionCache counted = new CountingCache(cluster.stores, reconciles);
            long cpuStart = PROCESS.getProcessCpuTime();
            long start = System.nanoTime();
            try (CompanionController controller = new CompanionController(counted, watch, planner(), writer,
                    Cluster.NO_EVENTS, new Backoff(Duration.ofMillis(500), Duration.ofMinutes(2)))) {
                controller.start();
                while (!controller.idle()) {
                    Thread.sleep(5);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
            System.out.printf("- %s: idle after %.2f s (process CPU %.2f s); %,d reconciles, %,d companions written,"
                    + " %,d VirtualServices in the cluster%n", run, seconds, cpuSeconds, reconciles.get(),
                    writer.writes.get(), cluster.virtualServices.list().size());
        }
    }

    // --- the cluster, in informer caches ------------------------------------------------------------------

    static CompanionPlanner planner() {
        return new CompanionPlanner(CompanionSettings.DEFAULT);
    }

    static ObjectNode handWritten(int i) {
        ObjectNode vs = JsonNodeFactory.instance.objectNode();
        vs.put("apiVersion", "networking.istio.io/v1").put("kind", "VirtualService");
        vs.putObject("metadata").put("name", "routes-" + i).put("namespace", "platform-" + (i % 50))
                .put("uid", "hand-" + i).put("resourceVersion", "1");
        vs.putObject("spec").putArray("hosts").add("partner-" + i + ".example.com");
        return vs;
    }

    /** Four informer caches with the controller's indexes, and the entries' keys in generation order. */
    static final class Cluster {

        static final CompanionEvents NO_EVENTS = (entry, reason, message) -> { };

        final Indexer<GenericKubernetesResource> entries = new CacheImpl<>();
        final Indexer<GenericKubernetesResource> virtualServices = new CacheImpl<>();
        final Indexer<GenericKubernetesResource> gateways = new CacheImpl<>();
        final Indexer<GenericKubernetesResource> destinationRules = new CacheImpl<>();
        final CompanionStores stores;
        final List<EntryKey> keys = new ArrayList<>();
        private long resourceVersion = 1;

        Cluster(SyntheticCluster generated) {
            stores = new CompanionStores(entries, virtualServices, gateways, destinationRules,
                    () -> MeshConfig.DEFAULT, SERIALIZATION);
            for (SyntheticCluster.Entry entry : generated.entries()) {
                put(entries, entry.object());
                keys.add(new EntryKey(entry.namespace(), entry.name()));
            }
        }

        Indexer<GenericKubernetesResource> store(String kind) {
            return switch (kind) {
                case "VirtualService" -> virtualServices;
                case "Gateway" -> gateways;
                case "DestinationRule" -> destinationRules;
                default -> throw new IllegalArgumentException(kind);
            };
        }

        /** Stores the object as the API server would return it: with a uid and a resourceVersion. */
        synchronized GenericKubernetesResource put(Indexer<GenericKubernetesResource> store, JsonNode object) {
            GenericKubernetesResource resource = SERIALIZATION.convertValue(object, GenericKubernetesResource.class);
            if (resource.getMetadata().getUid() == null) {
                resource.getMetadata().setUid("uid-" + resourceVersion);
            }
            resource.getMetadata().setResourceVersion(Long.toString(++resourceVersion));
            ((CacheImpl<GenericKubernetesResource>) store).put(resource);
            return resource;
        }

        synchronized void remove(Indexer<GenericKubernetesResource> store, JsonNode object) {
            GenericKubernetesResource resource = store.getByKey(object.path("metadata").path("namespace").asText()
                    + "/" + object.path("metadata").path("name").asText());
            if (resource != null) {
                ((CacheImpl<GenericKubernetesResource>) store).remove(resource);
            }
        }
    }

    /** Writes into the caches and hands the change to the controller, as a watch event would. */
    static final class Loopback implements CompanionWriter {

        final AtomicLong writes = new AtomicLong();
        private final Cluster cluster;
        private final Consumer<EntryKey> affected;

        Loopback(Cluster cluster, Consumer<EntryKey> affected) {
            this.cluster = cluster;
            this.affected = affected;
        }

        @Override
        public void apply(ObjectNode desired) {
            writes.incrementAndGet();
            String kind = desired.path("kind").asText();
            GenericKubernetesResource stored = cluster.put(cluster.store(kind), desired);
            if (kind.equals("VirtualService")) {
                cluster.stores.virtualServiceChanged(stored, affected);
            } else {
                cluster.stores.companionChanged(stored, affected);
            }
        }

        @Override
        public void delete(JsonNode actual) {
            writes.incrementAndGet();
            cluster.remove(cluster.store(actual.path("kind").asText()), actual);
        }
    }

    /** The informer's replay of every stored entry when the controller's handler is added. */
    static final class ReplayWatch implements CompanionWatch {

        private final List<EntryKey> keys;
        volatile Consumer<EntryKey> affected = key -> { };

        ReplayWatch(List<EntryKey> keys) {
            this.keys = keys;
        }

        @Override
        public void start(Consumer<EntryKey> affected) {
            this.affected = affected;
            keys.forEach(affected);
        }

        @Override
        public boolean hasSynced() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Counts reconciles: each starts with one read of the entry. */
    record CountingCache(CompanionCache cache, AtomicLong reads) implements CompanionCache {

        @Override
        public StoredEntry entry(EntryKey key) {
            reads.incrementAndGet();
            return cache.entry(key);
        }

        @Override
        public List<JsonNode> owned(EntryKey key) {
            return cache.owned(key);
        }

        @Override
        public List<RoutingVirtualService> routing(ServiceEntryFacts entry) {
            return cache.routing(entry);
        }

        @Override
        public Optional<JsonNode> cached(String kind, String namespace, String name) {
            return cache.cached(kind, namespace, name);
        }

        @Override
        public MeshConfig mesh() {
            return cache.mesh();
        }
    }
}
