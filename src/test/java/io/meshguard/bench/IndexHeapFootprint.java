package io.meshguard.bench;

import io.meshguard.decode.ManifestLoader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.load.ReviewMix;
import io.meshguard.mesh.ServiceEntryFacts;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.management.ObjectName;

/**
 * The heap a populated {@link ServiceEntryIndex} retains per entry: used heap after full collections,
 * before and after populating it with the harness's entries ({@link ReviewMix}: the files {@code bench/run.sh}
 * preloads, read as the standalone preload reads them; the loader's documents are garbage by then, the index alone
 * is kept reachable). Also reports the facts alone (held in a plain array list, whose reference array is
 * subtracted), so the difference is what the index's own maps and keys cost.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.meshguard.bench.IndexHeapFootprint \
 *     [--histo] [--runs=3] [N ...]
 * </pre>
 * {@code --histo} prints the live class histogram (top classes) of the largest index.
 */
public final class IndexHeapFootprint {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private IndexHeapFootprint() {
    }

    public static void main(String[] args) throws Exception {
        boolean histo = false;
        int runs = 3;
        List<Integer> sizes = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--histo")) {
                histo = true;
            } else if (arg.startsWith("--runs=")) {
                runs = Integer.parseInt(arg.substring("--runs=".length()));
            } else {
                sizes.add(Integer.parseInt(arg));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000, 10_000, 100_000);
        }
        System.out.printf("JVM %s, %s, max heap %d MiB, the harness's entries (%s), median of %d runs%n",
                System.getProperty("java.vm.version"), ManagementFactory.getGarbageCollectorMXBeans().get(0).getName(),
                Runtime.getRuntime().maxMemory() >> 20, ReviewMix.out(), runs);
        System.out.printf("%8s %14s %14s %14s %14s%n", "N", "index B", "index B/entry", "facts B/entry",
                "overhead B/e");
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        for (int n : sizes) {
            Path entries = ReviewMix.out().resolve("data-" + n);
            ReviewMix.load(entries, n, System.currentTimeMillis());
            entries = entries.resolve("entries");
            long[] indexBytes = new long[runs];
            long[] factsBytes = new long[runs];
            for (int run = 0; run < runs; run++) {
                indexBytes[run] = retainedByIndex(entries, n, histo && n == largest && run == runs - 1);
                factsBytes[run] = retainedByFacts(entries, n);
            }
            long index = median(indexBytes);
            long facts = median(factsBytes);
            System.out.printf("%8d %14d %14.1f %14.1f %14.1f%n", n, index, (double) index / n, (double) facts / n,
                    (double) (index - facts) / n);
        }
    }

    private static long retainedByIndex(Path entries, int n, boolean histo) throws Exception {
        long before = settledUsedHeap();
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        new ManifestLoader().load(entries, System.currentTimeMillis()).entries().forEach(index::confirm);
        long after = settledUsedHeap();
        if (histo) {
            printHistogram(40);
        }
        if (index.size() != n) {
            throw new IllegalStateException("index has " + index.size() + " entries");
        }
        Reference.reachabilityFence(index);
        return after - before;
    }

    private static long retainedByFacts(Path entries, int n) throws Exception {
        long before = settledUsedHeap();
        List<ServiceEntryFacts> facts = new ArrayList<>(
                new ManifestLoader().load(entries, System.currentTimeMillis()).entries());
        long after = settledUsedHeap();
        Reference.reachabilityFence(facts);
        // An ArrayList of exactly n references of 4 bytes (compressed oops), + headers.
        long listArray = 16 + 4L * n;
        return after - before - listArray - 24;
    }

    private static long settledUsedHeap() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static void printHistogram(int lines) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        String[] rows = histogram.split("\n");
        System.out.println("--- live class histogram (top " + lines + ") ---");
        for (int i = 0; i < Math.min(lines + 3, rows.length); i++) {
            System.out.println(rows[i]);
        }
        System.out.println(rows[rows.length - 1]);
    }
}
