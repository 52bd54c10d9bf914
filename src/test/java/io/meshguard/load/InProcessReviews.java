package io.meshguard.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.Outcome;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The review path without HTTP or TLS: codec, admission, rules, over the bench's review bodies, reporting
 * CPU microseconds per review by kind (thread CPU time, so other processes on the machine do not count). A quick way to see where /validate's time goes (see BENCHMARKS.md).
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.meshguard.load.InProcessReviews \
 *     -Dexec.args="ENTRIES_DIR REVIEWS_DIR [seconds]"
 * </pre>
 */
public final class InProcessReviews {

    private InProcessReviews() {
    }

    public static void main(String[] args) throws Exception {
        long now = System.currentTimeMillis();
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        ManifestLoader.Result loaded = new ManifestLoader().load(Path.of(args[0]), now);
        loaded.entries().forEach(index::confirm);
        System.out.println(loaded.summary());
        AdmissionReviewCodec codec = new AdmissionReviewCodec(new ObjectMapper());
        AdmissionPipeline admission = AdmissionPipeline.validating(codec, List.of(
                IstioNetworking.serviceEntries(System::currentTimeMillis)
                        .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                                ServiceEntryIndexValidator.Learning.LEARN))
                        .build()));
        Path dir = Path.of(args[1]);
        List<String> names = Files.readAllLines(dir.resolve("index.txt"));
        List<byte[]> bodies = new ArrayList<>();
        for (String name : names) {
            bodies.add(Files.readAllBytes(dir.resolve(name)));
        }
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        String[] kinds = {"allowed", "denied", "warned", "update"};
        long[] nanos = new long[4];
        long[] counts = new long[4];
        long[] bytes = new long[4];
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long warmEnd = System.nanoTime() + seconds * 500_000_000L;
        boolean measuring = false;
        while (System.nanoTime() < end) {
            if (!measuring && System.nanoTime() > warmEnd) {
                measuring = true;
                java.util.Arrays.fill(nanos, 0);
                java.util.Arrays.fill(counts, 0);
                java.util.Arrays.fill(bytes, 0);
            }
            for (int i = 0; i < bodies.size(); i++) {
                int kind = java.util.Arrays.asList(kinds).indexOf(names.get(i).replaceAll("^\\d+-|\\.json$", ""));
                long t0 = cpu.getCurrentThreadCpuTime();
                AdmissionRequestView request = codec.read(bodies.get(i));
                Outcome outcome = admission.review(request);
                byte[] answer = codec.write(outcome);
                nanos[kind] += cpu.getCurrentThreadCpuTime() - t0;
                counts[kind]++;
                bytes[kind] += answer.length;
            }
        }
        long total = 0;
        long all = 0;
        for (int k = 0; k < 4; k++) {
            System.out.printf("%-8s %8.1f CPU us/review  %7d B/answer  (%d)%n", kinds[k], nanos[k] / 1000.0 / counts[k],
                    bytes[k] / counts[k], counts[k]);
            total += nanos[k];
            all += counts[k];
        }
        System.out.printf("mix      %8.1f CPU us/review%n", total / 1000.0 / all);
    }
}
