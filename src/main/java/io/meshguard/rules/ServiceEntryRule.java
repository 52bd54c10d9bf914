package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;

/** One check of a ServiceEntry against the cluster as the index knows it. Pure: no I/O, no state. */
public interface ServiceEntryRule {

    List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index);

    /**
     * As {@link #check(ServiceEntryFacts, IndexSnapshot)}, where only the first {@code described} findings of each
     * severity are read in full: past them a rule may return findings that carry only their identity (no scope,
     * words on demand), so that their cost does not grow with the entries collided with.
     */
    default List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index, int described) {
        return check(entry, index);
    }
}
