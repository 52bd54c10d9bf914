package io.meshguard.bench;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
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
 * The cost of one review's rules over a populated index, as the webhook runs them: under the index lock,
 * with {@link ServiceEntryReview#standard()}, on a CREATE (no previous version).
 *
 * <p>{@code mix=REALISTIC} spreads the entries as a cluster would, with 443 and 80 the busiest ports;
 * {@code mix=OTHER_PORTS} moves every generated entry off the probes' ports, so the probes meet only the
 * anchor and any growth with {@code entries} would be cost leaking in from other ports. Nothing is
 * reserved or confirmed while measuring: the index does not change between invocations.
 *
 * <p>The denial path needs about 20 s of warm-up on a busy 2-core machine before C2 has compiled it
 * (earlier iterations average 50-200 us), hence {@code -wi 10 -w 2s}. Run {@link NoiseControlBenchmark} in
 * the same session to tell the machine's tail from the code's.
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main \
 *     'ReviewBenchmark|NoiseControlBenchmark' -f 1 -wi 10 -w 2s -i 5 -r 2s -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class ReviewBenchmark {

    @Param({"1000", "10000", "100000"})
    public int entries;

    @Param({"REALISTIC", "OTHER_PORTS"})
    public SyntheticEntries.Mix mix;

    private ServiceEntryIndex index;
    private ServiceEntryReview review;
    private ServiceEntryFacts tcpColliding;
    private ServiceEntryFacts tlsFreshHost;
    private ServiceEntryFacts http;

    @Setup(Level.Trial)
    public void populate() {
        // A TTL that never passes: there are no reservations anyway, so atomically() skips expiry.
        index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        int size = SyntheticEntries.populate(index, entries, mix);
        if (size != entries + 1) {
            throw new IllegalStateException("expected " + (entries + 1) + " entries indexed, got " + size);
        }
        review = ServiceEntryReview.standard();
        tcpColliding = SyntheticEntries.tcpCollidingProbe();
        tlsFreshHost = SyntheticEntries.tlsFreshHostProbe();
        http = SyntheticEntries.httpProbe();

        // Make sure each benchmark measures the outcome it is named after.
        Decision a = review(tcpColliding);
        if (a.allowed() || a.denials().size() != 1
                || !a.denials().get(0).other().equals(SyntheticEntries.anchorTcp().key())) {
            throw new IllegalStateException("the TCP probe should collide with the anchor alone: " + a);
        }
        Decision b = review(tlsFreshHost);
        if (!b.allowed() || !b.warnings().isEmpty()) {
            throw new IllegalStateException("the TLS probe should be allowed without warnings: " + b);
        }
        Decision c = review(http);
        if (!c.allowed()) {
            throw new IllegalStateException("the HTTP probe should be allowed: " + c);
        }
        if (index.reservations() != 0 || index.size() != size) {
            throw new IllegalStateException("reviewing changed the index");
        }
    }

    private Decision review(ServiceEntryFacts entry) {
        return index.atomically(s -> review.review(entry, null, s));
    }

    /** (a) TCP on a port and address one existing entry holds: denied with one ListenerCollision. */
    @Benchmark
    public Decision tcpCollisionDenied() {
        return index.atomically(s -> review.review(tcpColliding, null, s));
    }

    /** (b) TLS on 443 with a host nobody else declares: allowed. */
    @Benchmark
    public Decision tlsFreshHostAllowed() {
        return index.atomically(s -> review.review(tlsFreshHost, null, s));
    }

    /** (c) HTTP on 80: allowed. */
    @Benchmark
    public Decision httpAllowed() {
        return index.atomically(s -> review.review(http, null, s));
    }
}
