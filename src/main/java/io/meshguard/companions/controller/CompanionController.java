package io.meshguard.companions.controller;

import io.meshguard.companions.CompanionPlanner;
import io.meshguard.mesh.EntryKey;

/**
 * Writes what the planner plans, for ServiceEntries the API server has persisted: a work queue of entries, fed
 * by a {@link CompanionWatch} (an entry is queued when it changes, when one of its companions changes, so edits
 * are reverted, and when a VirtualService for one of its hosts appears, changes or goes, so the SNI
 * VirtualService gives way or comes back) and worked by a {@link Reconciler}. It reads the cluster through a
 * {@link CompanionCache} and writes through a {@link CompanionWriter} and {@link CompanionEvents}; it opens no
 * informer and holds no client itself.
 */
public final class CompanionController implements AutoCloseable {

    public static final String YIELDED_REASON = YieldedEvent.REASON;

    private final CompanionWatch watch;
    private final WorkQueue<EntryKey> queue;

    public CompanionController(CompanionCache cache, CompanionWatch watch, CompanionPlanner planner,
            CompanionWriter writer, CompanionEvents events, Backoff backoff) {
        this.watch = watch;
        Reconciler reconciler = new Reconciler(cache, planner, writer, events);
        this.queue = new WorkQueue<>("meshguard-companions", reconciler::reconcile, backoff.first(), backoff.max());
    }

    public void start() {
        watch.start(queue::add);
    }

    /** True once everything the controller watches has been listed. */
    public boolean hasSynced() {
        return watch.hasSynced();
    }

    /** True when no entry waits to be reconciled or is being reconciled (retries waiting their turn count). */
    public boolean idle() {
        return queue.idle();
    }

    /** Consecutive failed reconciles of an entry; 0 once one succeeds. */
    public int failures(EntryKey entry) {
        return queue.failures(entry);
    }

    @Override
    public void close() {
        watch.close();
        queue.close();
    }
}
