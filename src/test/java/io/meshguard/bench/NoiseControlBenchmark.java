package io.meshguard.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Experimental control for {@link ReviewBenchmark}'s tail percentiles: pure CPU work of about the same
 * median length as a review (no allocation, no lock, no index), sampled the same way. Its p99 and p99.9 are
 * what the machine (scheduler, interrupts, other tenants) adds to any operation of that length; a review
 * tail well above the control's is the code's, one close to it is the machine's. Run it in the same
 * session as ReviewBenchmark and compare.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
public class NoiseControlBenchmark {

    /**
     * Blackhole.consumeCPU tokens, about 2.2 ns each on the machine they were calibrated on, so the medians
     * land near those of the allowed (~0.2 us) and the denied (~3.3 us) reviews.
     */
    @Param({"80", "1500"})
    public long tokens;

    @Benchmark
    public void cpuOnly() {
        Blackhole.consumeCPU(tokens);
    }
}
