package io.meshguard.companions.controller;

import io.meshguard.mesh.EntryKey;
import java.util.function.Consumer;

/**
 * Where the controller learns of changes: each change in the cluster is turned into the entries whose
 * companions it may affect (the entry itself; the owner of a companion; the entries that declare a host a
 * VirtualService routes).
 */
public interface CompanionWatch extends AutoCloseable {

    /** Starts telling {@code affected} of every entry a change may affect, beginning with every stored entry. */
    void start(Consumer<EntryKey> affected);

    /** True once everything watched has been listed. */
    boolean hasSynced();

    /** Stops telling; closes only what {@link #start} opened. */
    @Override
    void close();
}
