package io.meshguard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.KindRoute;
import io.meshguard.admission.MeasuredWebhook;
import io.meshguard.admission.Operation;
import io.meshguard.admission.Outcome;
import io.meshguard.admission.ReviewMeter;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.admission.Webhook;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.load.ReviewMix;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.server.BenchMeters;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one review costs in process, step by step, over the harness's own mix ({@link ReviewMix}: the entries
 * {@code bench/run.sh} preloads and the 1,000 bodies it posts, read from the same files): each invocation takes the
 * next body of the 1,000, so every figure is a mean over the mix (40% allowed dry-run CREATEs, 20% denied, 20%
 * warned, 20% UPDATEs).
 *
 * <ul>
 * <li>{@code review}: all of what {@code POST /validate} does after the HTTP layer has the bytes: read, route,
 *     rules under the index lock (standalone learning, as the harness's server), answer, metrics;</li>
 * <li>{@code parse}: the body into the request view ({@link AdmissionReviewCodec#read}), and
 *     {@code parseWholeTree} for comparison: a Jackson tree of the whole body, as the review was read before;</li>
 * <li>{@code read}: the object (and on UPDATE the old object) into facts ({@link ServiceEntryReader});</li>
 * <li>{@code rules}: the ServiceEntry rules over the index, as the validator runs them;</li>
 * <li>{@code write}: the AdmissionReview answer;</li>
 * <li>{@code metrics}: the review's timer and counters on a Prometheus registry.</li>
 * </ul>
 * The steps' inputs are computed once in setup, so each step is measured alone. {@code entries} is the index size:
 * a review's cost should not grow with it.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main ReviewBenchmark \
 *     -f 1 -wi 5 -w 2s -i 5 -r 2s [-p entries=100000] [-p protocol=MYSQL] [-prof gc]
 * </pre>
 * The mix is read from {@code target/bench-results/data-N} ({@code MESHGUARD_BENCH_OUT} to use another harness
 * {@code --out}), and generated there first if the harness has not run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ReviewBenchmark {

    @Param({"1000", "10000", "100000"})
    public int entries;

    /** Only the reviews whose entry's first port has this protocol ({@code MYSQL}: the costliest kind), or all. */
    @Param({"any"})
    public String protocol;

    private final ObjectMapper json = new ObjectMapper();
    private final AdmissionReviewCodec codec = new AdmissionReviewCodec(json);
    private ServiceEntryIndex index;
    private ServiceEntryIndexValidator validator;
    private KindRoute<ServiceEntryFacts> route;
    private ReviewMeter meter;
    private Webhook validating;

    private byte[][] bodies;
    private AdmissionRequestView[] requests;
    private ServiceEntryFacts[] objects;
    private ServiceEntryFacts[] olds;
    private Outcome[] outcomes;
    private int next;

    @Setup(Level.Trial)
    public void load() throws IOException {
        long now = System.currentTimeMillis();
        ReviewMix mix = ReviewMix.load(entries, now);
        index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        mix.entries().forEach(index::confirm);
        validator = new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                ServiceEntryIndexValidator.Learning.LEARN);
        route = IstioNetworking.serviceEntries(System::currentTimeMillis).validator(validator).build();
        meter = BenchMeters.prometheus(index);
        validating = new MeasuredWebhook("validate", meter, AdmissionPipeline.validating(codec, List.of(route)));

        int n = mix.bodies().size();
        bodies = mix.bodies().toArray(new byte[0][]);
        requests = new AdmissionRequestView[n];
        objects = new ServiceEntryFacts[n];
        olds = new ServiceEntryFacts[n];
        outcomes = new Outcome[n];
        for (int i = 0; i < n; i++) {
            requests[i] = codec.read(bodies[i]);
            objects[i] = facts(requests[i].object(), requests[i]);
            olds[i] = requests[i].operation() == Operation.UPDATE ? facts(requests[i].oldObject(), requests[i]) : null;
            outcomes[i] = validating.review(bodies[i]);
            if (!ReviewMix.decidesAsLabelled(mix.kinds().get(i), outcomes[i].decision())) {
                throw new IllegalStateException("review " + i + " is labelled " + mix.kinds().get(i) + " but got "
                        + outcomes[i].decision());
            }
        }
        if (index.size() != entries || index.reservations() != 0) {
            throw new IllegalStateException("the mix changed the index: " + index.size() + " entries");
        }
        if (!"any".equals(protocol)) {
            keepOnly(protocol);
        }
    }

    private void keepOnly(String portProtocol) {
        List<Integer> kept = new java.util.ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            if (objects[i].ports().get(0).protocol().equals(portProtocol)) {
                kept.add(i);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("no review in the mix has a " + portProtocol + " port");
        }
        bodies = kept.stream().map(i -> bodies[i]).toArray(byte[][]::new);
        requests = kept.stream().map(i -> requests[i]).toArray(AdmissionRequestView[]::new);
        objects = kept.stream().map(i -> objects[i]).toArray(ServiceEntryFacts[]::new);
        olds = kept.stream().map(i -> olds[i]).toArray(ServiceEntryFacts[]::new);
        outcomes = kept.stream().map(i -> outcomes[i]).toArray(Outcome[]::new);
    }

    private static ServiceEntryFacts facts(JsonNode object, AdmissionRequestView request) {
        return ServiceEntryReader.read(object, request.namespace(), System.currentTimeMillis());
    }

    private int next() {
        int i = next;
        next = i + 1 == bodies.length ? 0 : i + 1;
        return i;
    }

    /** Everything after the HTTP layer: what {@code POST /validate} costs the server besides TLS and HTTP. */
    @Benchmark
    public byte[] review() {
        return codec.write(validating.review(bodies[next()]));
    }

    @Benchmark
    public AdmissionRequestView parse() {
        return codec.read(bodies[next()]);
    }

    /** The whole body as one Jackson tree: how the review was read before it streamed past what it does not read. */
    @Benchmark
    public JsonNode parseWholeTree() throws IOException {
        return json.readTree(bodies[next()]);
    }

    @Benchmark
    public Object read() {
        AdmissionRequestView request = requests[next()];
        ServiceEntryFacts object = facts(request.object(), request);
        return request.operation() == Operation.UPDATE ? facts(request.oldObject(), request) : object;
    }

    @Benchmark
    public Decision rules() {
        int i = next();
        return requests[i].operation() == Operation.UPDATE
                ? validator.update(requests[i], olds[i], objects[i])
                : validator.create(requests[i], objects[i]);
    }

    @Benchmark
    public byte[] write() {
        return codec.write(outcomes[next()]);
    }

    @Benchmark
    public Outcome metrics() {
        Outcome outcome = outcomes[next()];
        meter.answered("validate", outcome, 250_000);
        return outcome;
    }
}
