package io.meshguard.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Writes N generated ServiceEntries (see {@link SyntheticCluster}) as multi-document YAML, 1,000 to a file, for
 * {@code meshguard.standalone.preload-dir}; optionally also AdmissionReview bodies against them for a load run.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.meshguard.load.GenerateEntries \
 *     -Dexec.args="10000 target/preload [--seed 1] [--reviews 1000 target/reviews]"
 * </pre>
 *
 * The same N and seed always give the same files. The reviews directory gets one JSON file per review, named
 * {@code NNNN-<kind>.json} (kind: allowed, denied, warned, update), and {@code index.txt} listing them.
 */
public final class GenerateEntries {

    static final int PER_FILE = 1000;

    private GenerateEntries() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: GenerateEntries N DIR [--seed S] [--reviews COUNT DIR]");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        long seed = 1;
        int reviewCount = 0;
        Path reviewDir = null;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--reviews" -> {
                    reviewCount = Integer.parseInt(args[++i]);
                    reviewDir = Path.of(args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        write(n, seed, dir, reviewCount, reviewDir);
    }

    /**
     * Writes N entries of seed {@code seed} to {@code dir} and, with a {@code reviewDir}, {@code reviewCount} review
     * bodies against them: what {@code bench/run.sh} and {@link ReviewMix} use.
     */
    public static void write(int n, long seed, Path dir, int reviewCount, Path reviewDir) throws IOException {
        SyntheticCluster cluster = new SyntheticCluster(n, seed);
        int files = writeEntries(cluster, dir);
        System.out.printf("wrote %d ServiceEntries in %d namespaces to %d files in %s (seed %d)%n", n,
                cluster.namespaceCount(), files, dir, seed);
        if (reviewDir != null) {
            Map<SyntheticCluster.ReviewKind, Integer> counts = writeReviews(cluster, reviewCount, seed, reviewDir);
            System.out.printf("wrote %d AdmissionReviews %s to %s%n", reviewCount, counts, reviewDir);
        }
    }

    /** Replaces DIR's entries-*.yaml with the cluster's entries. */
    public static int writeEntries(SyntheticCluster cluster, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.newDirectoryStream(dir, "entries-*.yaml")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        // Strings stay quoted: resourceVersion "367819" and timestamps must read back as strings, for kubectl too.
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        List<SyntheticCluster.Entry> entries = cluster.entries();
        int files = 0;
        for (int start = 0; start < entries.size(); start += PER_FILE) {
            Path file = dir.resolve(String.format("entries-%05d.yaml", files++));
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                for (int i = start; i < Math.min(entries.size(), start + PER_FILE); i++) {
                    out.write("---\n");
                    out.write(yaml.writeValueAsString(entries.get(i).object()));
                }
            }
        }
        return files;
    }

    public static Map<SyntheticCluster.ReviewKind, Integer> writeReviews(SyntheticCluster cluster, int count,
            long seed, Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var old = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
        Map<SyntheticCluster.ReviewKind, Integer> counts = new EnumMap<>(SyntheticCluster.ReviewKind.class);
        List<String> names = new ArrayList<>();
        int j = 0;
        for (SyntheticCluster.Review review : cluster.reviews(count, seed + 1)) {
            String name = String.format("%04d-%s.json", j++, review.kind().name().toLowerCase());
            Files.write(dir.resolve(name), SyntheticCluster.bytes(review.body()));
            names.add(name);
            counts.merge(review.kind(), 1, Integer::sum);
        }
        Files.write(dir.resolve("index.txt"), names);
        return counts;
    }
}
