package io.meshguard.companions.controller;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A work queue keyed by object, as controller-runtime's: a key added many times before it runs is worked on
 * once; one thread works, so a key is never worked on twice at the same time; a failure retries the key
 * after an exponentially growing delay, until it succeeds or is added again (an event brings it forward).
 */
public final class WorkQueue<K> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WorkQueue.class);

    private final Consumer<K> work;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final ScheduledExecutorService worker;
    private final Map<K, ScheduledFuture<?>> pending = new HashMap<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private int running;

    public WorkQueue(String name, Consumer<K> work, Duration baseDelay, Duration maxDelay) {
        this.work = work;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Works on {@code key} as soon as the worker is free, unless it is already waiting to run now. */
    public synchronized void add(K key) {
        ScheduledFuture<?> waiting = pending.get(key);
        if (waiting != null && waiting.getDelay(TimeUnit.MILLISECONDS) <= 0) {
            return;
        }
        if (waiting != null) {
            waiting.cancel(false);
        }
        schedule(key, 0);
    }

    /** Consecutive failures of {@code key} so far: 0 once it has succeeded. */
    public synchronized int failures(K key) {
        return failures.getOrDefault(key, 0);
    }

    /** True when no key waits (for now or for a retry) and none is being worked on. */
    public synchronized boolean idle() {
        return pending.isEmpty() && running == 0;
    }

    /** The delay before retry number {@code failures}: base × 2^(failures-1), capped. */
    Duration backoff(int failures) {
        long millis = baseDelay.toMillis() << Math.min(failures - 1, 30);
        return Duration.ofMillis(Math.min(millis, maxDelay.toMillis()));
    }

    private void schedule(K key, long delayMillis) {
        if (worker.isShutdown()) {
            return;
        }
        pending.put(key, worker.schedule(() -> run(key), delayMillis, TimeUnit.MILLISECONDS));
    }

    private void run(K key) {
        synchronized (this) {
            pending.remove(key);
            running++;
        }
        try {
            work.accept(key);
            synchronized (this) {
                failures.remove(key);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                int failed = failures.merge(key, 1, Integer::sum);
                Duration delay = backoff(failed);
                LOG.warnf("reconciling %s failed (%d in a row), retrying in %d ms: %s", key, failed, delay.toMillis(),
                        e.getMessage());
                if (!pending.containsKey(key)) {
                    schedule(key, delay.toMillis());
                }
            }
        } finally {
            synchronized (this) {
                running--;
            }
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
