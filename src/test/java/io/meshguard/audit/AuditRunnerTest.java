package io.meshguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.rules.ServiceEntryReview;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the background audit runs: first, every interval, after a quiet spell, and never most of the time. */
class AuditRunnerTest {

    static final Duration INTERVAL = Duration.ofMinutes(10);
    static final Duration DEBOUNCE = Duration.ofSeconds(5);

    final AtomicLong clock = new AtomicLong(1_767_225_600_000L);
    final ServiceEntryIndex index = new ServiceEntryIndex(clock::get, 30_000);
    final AuditRunner runner = new AuditRunner(index, new Auditor(ServiceEntryReview.standard()),
            new AuditMetrics(new SimpleMeterRegistry()), clock::get, INTERVAL, DEBOUNCE);

    static ServiceEntryFacts entry(String name, int port) {
        return new ServiceEntryFacts(new EntryKey("ns", name), "", 0, List.of(name + ".example.com"),
                List.of(new ServicePort(port, "TCP")), List.of(), List.of(), List.of(), Resolution.DNS);
    }

    void after(Duration elapsed) {
        clock.addAndGet(elapsed.toMillis());
    }

    @Test
    void runs_first_then_after_a_change_has_been_quiet_for_the_debounce_or_every_interval() {
        assertThat(runner.due()).as("nothing audited yet").isTrue();
        runner.run();
        after(Duration.ofSeconds(30));
        assertThat(runner.due()).as("nothing changed").isFalse();

        index.confirm(entry("a", 443));
        assertThat(runner.due()).as("just changed").isFalse();
        after(Duration.ofSeconds(4));
        assertThat(runner.due()).as("changed 4 s ago").isFalse();
        after(Duration.ofSeconds(1));
        assertThat(runner.due()).as("quiet for the debounce").isTrue();
        runner.run();

        index.confirm(entry("a", 443));
        after(Duration.ofSeconds(10));
        assertThat(runner.due()).as("a confirmation that changes no fact").isFalse();

        after(INTERVAL);
        assertThat(runner.due()).as("an interval since the last run").isTrue();
    }

    @Test
    void a_cluster_that_never_stops_changing_is_audited_once_an_interval() {
        runner.run();
        for (int second = 1; second < INTERVAL.toSeconds(); second++) {
            index.confirm(entry("e" + second, 1000 + second));
            after(Duration.ofSeconds(1));
            assertThat(runner.due()).as("still changing after %d s", second).isFalse();
        }
        index.confirm(entry("last", 999));
        after(Duration.ofSeconds(1));
        assertThat(runner.due()).as("changing for an interval at a stretch").isTrue();
    }

    @Test
    void a_change_right_after_a_run_waits_for_ten_times_its_duration() {
        AuditRunner eager = new AuditRunner(index, new Auditor(ServiceEntryReview.standard()),
                new AuditMetrics(new SimpleMeterRegistry()), clock::get, INTERVAL, Duration.ZERO);
        for (int i = 0; i < 300; i++) {
            index.confirm(entry("e" + i, 443));
        }
        long took = eager.run().durationNanos() / 1_000_000;
        assertThat(took).as("a run long enough to measure in milliseconds").isPositive();
        index.confirm(entry("late", 8443));
        assertThat(eager.due()).as("changed, quiet for the debounce (none), but the run has just ended").isFalse();
        after(Duration.ofMillis(AuditRunner.BUSY_SHARE * took - 1));
        assertThat(eager.due()).isFalse();
        after(Duration.ofMillis(1));
        assertThat(eager.due()).as("%d ms after a %d ms run started", AuditRunner.BUSY_SHARE * took, took).isTrue();
    }

    /** A change waits until the last run has had {@link AuditRunner#BUSY_SHARE} times its duration. */
    @Test
    void a_change_waits_until_the_last_run_has_rested_ten_times_its_duration() {
        record Case(String what, long durationMillis, long sinceStartMillis, boolean rested) {
        }
        List<Case> cases = List.of(
                new Case("a 2.7 s run (100k entries), 20 s ago", 2_700, 20_000, false),
                new Case("a 2.7 s run, 27 s ago", 2_700, 27_000, true),
                new Case("a 5 ms run, 1 s ago: the debounce decides", 5, 1_000, true),
                new Case("a 200 ms run, just now", 200, 1_999, false));
        long now = clock.get();
        for (Case c : cases) {
            AuditResult last = new AuditResult(now - c.sinceStartMillis(), c.durationMillis() * 1_000_000, 1, 1,
                    List.of());
            assertThat(AuditRunner.rested(last, now)).as(c.what()).isEqualTo(c.rested());
        }
    }
}
