package io.meshguard.companions.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The work queue's promises: one run for a burst of adds, no run of a key in parallel, retries that back off. */
class WorkQueueTest {

    @Test
    void backoff_doubles_from_the_base_and_stops_at_the_cap() {
        try (WorkQueue<String> queue = new WorkQueue<>("t", key -> { }, Duration.ofMillis(100), Duration.ofSeconds(1))) {
            assertThat(List.of(1, 2, 3, 4, 5, 40).stream().map(n -> queue.backoff(n).toMillis()).toList())
                    .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        }
    }

    @Test
    void a_burst_of_adds_while_a_key_runs_gives_one_more_run_not_one_per_add() throws Exception {
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        try (WorkQueue<String> queue = new WorkQueue<>("t", key -> {
            runs.add(key);
            firstRunStarted.countDown();
            await(release);
        }, Duration.ofMillis(10), Duration.ofMillis(10))) {
            queue.add("ns/a");
            assertThat(firstRunStarted.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 100; i++) {
                queue.add("ns/a");
            }
            release.countDown();
            Thread.sleep(300);
            assertThat(runs).containsExactly("ns/a", "ns/a");
        }
    }

    @Test
    void a_failing_key_is_retried_until_it_succeeds_and_its_count_resets() throws Exception {
        List<Long> attempts = new CopyOnWriteArrayList<>();
        CountDownLatch succeeded = new CountDownLatch(1);
        try (WorkQueue<String> queue = new WorkQueue<>("t", key -> {
            attempts.add(System.nanoTime());
            if (attempts.size() < 4) {
                throw new IllegalStateException("API server said no");
            }
            succeeded.countDown();
        }, Duration.ofMillis(40), Duration.ofSeconds(1))) {
            queue.add("ns/a");
            assertThat(succeeded.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(50);
            assertThat(queue.failures("ns/a")).isZero();
        }
        assertThat(attempts).hasSize(4);
        long firstGap = attempts.get(1) - attempts.get(0);
        long thirdGap = attempts.get(3) - attempts.get(2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(firstGap)).as("first retry after the base delay")
                .isGreaterThanOrEqualTo(40);
        assertThat(TimeUnit.NANOSECONDS.toMillis(thirdGap)).as("third retry after four times the base")
                .isGreaterThanOrEqualTo(160);
    }

    @Test
    void idle_only_once_nothing_runs_and_nothing_waits_a_retry_included() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> runs = new CopyOnWriteArrayList<>();
        try (WorkQueue<String> queue = new WorkQueue<>("t", key -> {
            runs.add(key);
            if (key.equals("ns/slow")) {
                running.countDown();
                await(release);
            } else if (runs.stream().filter(key::equals).count() == 1) {
                throw new IllegalStateException("API server said no");
            }
        }, Duration.ofMillis(200), Duration.ofMillis(200))) {
            assertThat(queue.idle()).as("empty").isTrue();
            queue.add("ns/slow");
            assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(queue.idle()).as("a key is being worked on").isFalse();
            release.countDown();
            queue.add("ns/flaky");
            Thread.sleep(100);
            assertThat(queue.idle()).as("the failed key waits for its retry").isFalse();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!queue.idle() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(queue.idle()).isTrue();
            assertThat(runs).containsExactly("ns/slow", "ns/flaky", "ns/flaky");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
