package io.meshguard.load;

import io.meshguard.decode.ManifestLoader;
import io.meshguard.mesh.ServiceEntryFacts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one review mix every meshguard benchmark uses: N entries and 1,000 AdmissionReview bodies from
 * {@link GenerateEntries} with seed 1, read back from the files {@code bench/run.sh} preloads and sends
 * ({@code <out>/data-N/entries} and {@code <out>/data-N/reviews}). When the files are not there yet they are
 * written first, exactly as the harness writes them, so the JMH benchmarks and the harness always measure the
 * same entries and the same bodies.
 *
 * @param entries the entries as the standalone preload reads them
 * @param kinds each body's kind, from its file name
 * @param bodies the review bodies, byte for byte as the harness posts them
 */
public record ReviewMix(int size, List<ServiceEntryFacts> entries, List<SyntheticCluster.ReviewKind> kinds,
        List<byte[]> bodies) {

    public static final long SEED = 1;
    public static final int REVIEWS = 1000;
    /** bench/run.sh's default {@code --out}. */
    public static final Path DEFAULT_OUT = Path.of("target/bench-results");

    /** The harness's results folder: {@code MESHGUARD_BENCH_OUT} when set (as {@code --out}), else its default. */
    public static Path out() {
        String out = System.getenv("MESHGUARD_BENCH_OUT");
        return out == null || out.isBlank() ? DEFAULT_OUT : Path.of(out);
    }

    /** The mix of {@code n} entries from {@link #out()}, written there first if absent. */
    public static ReviewMix load(int n, long nowMillis) throws IOException {
        return load(out().resolve("data-" + n), n, nowMillis);
    }

    public static ReviewMix load(Path data, int n, long nowMillis) throws IOException {
        Path entriesDir = data.resolve("entries");
        Path reviewsDir = data.resolve("reviews");
        // index.txt is written last: its presence means a whole mix.
        if (!Files.isRegularFile(reviewsDir.resolve("index.txt"))) {
            GenerateEntries.write(n, SEED, entriesDir, REVIEWS, reviewsDir);
        }
        ManifestLoader.Result loaded = new ManifestLoader().load(entriesDir, nowMillis);
        if (!loaded.problems().isEmpty() || loaded.entries().size() != n) {
            throw new IllegalStateException(entriesDir + ": " + loaded.summary() + " " + loaded.problems()
                    + "; expected " + n + " entries (delete the folder to regenerate it)");
        }
        List<SyntheticCluster.ReviewKind> kinds = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (String name : Files.readAllLines(reviewsDir.resolve("index.txt"))) {
            String kind = name.replaceAll("^\\d+-|\\.json$", "");
            kinds.add(SyntheticCluster.ReviewKind.valueOf(kind.toUpperCase(Locale.ROOT)));
            bodies.add(Files.readAllBytes(reviewsDir.resolve(name)));
        }
        if (bodies.size() != REVIEWS) {
            throw new IllegalStateException(reviewsDir + " holds " + bodies.size() + " reviews, not " + REVIEWS);
        }
        return new ReviewMix(n, loaded.entries(), List.copyOf(kinds), List.copyOf(bodies));
    }

    /** Whether {@code decision} is the answer a review of this kind must get. */
    public static boolean decidesAsLabelled(SyntheticCluster.ReviewKind kind, io.meshguard.rules.Decision decision) {
        return switch (kind) {
            case ALLOWED -> decision.allowed() && decision.warnings().isEmpty();
            case DENIED -> !decision.allowed();
            case WARNED -> decision.allowed() && !decision.warnings().isEmpty();
            case UPDATE -> decision.allowed();
        };
    }

    /** Mean body size in bytes. */
    public int meanBodyBytes() {
        return (int) bodies.stream().mapToInt(b -> b.length).average().orElse(0);
    }
}
