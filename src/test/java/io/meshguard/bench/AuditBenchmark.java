package io.meshguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.audit.AuditResult;
import io.meshguard.audit.Auditor;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.load.ReviewMix;
import io.meshguard.load.SyntheticCluster;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.ServiceEntryReview;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cost of auditing a whole cluster: N entries from {@link SyntheticCluster} (which collide with none of each
 * other) plus {@code --clashes} colliding entries admitted as if before meshguard ran (the generator's denied
 * reviews, stored), audited by {@link Auditor} as the leader does, from the live index's entries.
 * <ul>
 * <li>time: the audit's own duration, over {@code --runs} runs after {@code --warmup} (median, min, max);</li>
 * <li>memory: the live index's retained heap (after full collections), and the audit's peak live heap on top of
 *     it, sampled by forcing full collections every 20 ms on another thread while one more audit runs (that run is
 *     slowed by the collections and is not timed).</li>
 * </ul>
 * With {@code --harness-files} the index holds the N entries of a {@code bench/run.sh} run instead (no colliding
 * ones), read in a heap as small as the webhook's ({@code -Xmx144m}), where the generator itself would not fit; each
 * run then also tells how many full collections it caused.
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx1g -XX:+UseSerialGC -cp target/test-classes:target/classes:$(cat target/cp.txt) \
 *     io.meshguard.bench.AuditBenchmark [N=100000] [--clashes 1000] [--runs 5] [--warmup 3] [--no-peak] \
 *     [--harness-files]
 * </pre>
 */
public final class AuditBenchmark {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private AuditBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = 100_000;
        int clashes = 1_000;
        boolean harnessFiles = false;
        int runs = 5;
        int warmup = 3;
        boolean peakToo = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--no-peak" -> peakToo = false;
                case "--harness-files" -> harnessFiles = true;
                case "--clashes" -> clashes = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> n = Integer.parseInt(args[i]);
            }
        }
        long empty = usedAfterGc();
        ServiceEntryIndex index = harnessFiles ? populateFromHarness(n) : populate(n, clashes);
        long withIndex = usedAfterGc();
        long indexBytes = withIndex - empty;

        Auditor auditor = new Auditor(ServiceEntryReview.standard());
        AuditResult result = null;
        for (int i = 0; i < warmup; i++) {
            result = audit(auditor, index);
        }
        long[] millis = new long[runs];
        for (int i = 0; i < runs; i++) {
            long[] before = collections();
            result = audit(auditor, index);
            long[] after = collections();
            millis[i] = result.durationNanos() / 1_000_000;
            System.out.printf("run %d: %d ms, of which %d ms collecting; %d full collections%n", i + 1, millis[i],
                    after[1] - before[1], after[0] - before[0]);
        }
        result = null;
        long peak = peakToo ? peakDuring(() -> audit(auditor, index), withIndex) : -1;

        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        AuditResult last = audit(auditor, index);
        System.out.printf("JVM %s, %s, max heap %d MiB, %d CPUs%n", System.getProperty("java.vm.version"),
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName(), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        System.out.printf("entries %d (%d generated + %d colliding), findings %d %s%n", last.entries(), n,
                last.entries() - n, last.findings().size(), last.countsByCode());
        System.out.printf("audit time: median %d ms, min %d ms, max %d ms over %d runs %s%n", sorted[runs / 2],
                sorted[0], sorted[runs - 1], runs, Arrays.toString(millis));
        System.out.printf("live index: %.1f MiB retained; audit peak live heap on top: %.1f MiB (%.2f x the index)%n",
                indexBytes / 1048576.0, peak / 1048576.0, (double) peak / indexBytes);
    }

    /** As the leader's audit runs ({@code AuditRunner}): the stored entries and who sees each, read together. */
    private static AuditResult audit(Auditor auditor, ServiceEntryIndex index) {
        return auditor.audit(index.stored(), index.version(), System.currentTimeMillis());
    }

    /**
     * The live index as the webhook's preload leaves it, from the files of a {@code bench/run.sh} run
     * ({@link ReviewMix}): read in a heap as small as the webhook's, where the generator itself would not fit.
     */
    static ServiceEntryIndex populateFromHarness(int n) throws java.io.IOException {
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        ReviewMix.load(n, System.currentTimeMillis()).entries().forEach(index::confirm);
        return index;
    }

    /** Old-generation collections so far, and milliseconds spent in every collection. */
    private static long[] collections() {
        long full = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            millis += collector.getCollectionTime();
            if (!collector.getName().matches(".*(Copy|Young|Scavenge|ParNew).*")) {
                full += collector.getCollectionCount();
            }
        }
        return new long[] {full, millis};
    }

    /** The live index as the informers leave it: every entry confirmed. */
    static ServiceEntryIndex populate(int n, int clashes) {
        SyntheticCluster cluster = new SyntheticCluster(n, 1);
        long now = System.currentTimeMillis();
        List<ServiceEntryFacts> facts = new ArrayList<>(n + clashes);
        cluster.entries().forEach(e -> facts.add(ServiceEntryReader.read(e.object(), null, now)));
        int added = 0;
        for (SyntheticCluster.Review review : cluster.reviews(clashes * 5, 2)) {
            if (review.kind() == SyntheticCluster.ReviewKind.DENIED && added < clashes) {
                JsonNode object = review.body().path("request").path("object");
                facts.add(ServiceEntryReader.read(object, null, now));
                added++;
            }
        }
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        index.replaceAll(facts);
        return index;
    }

    /** The most heap found live (after a full collection) above {@code base} while {@code work} runs. */
    static long peakDuring(Runnable work, long base) throws InterruptedException {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                System.gc();
                peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed() - base, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        work.run();
        done.set(true);
        sampler.join();
        return peak.get();
    }

    static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
