package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;

/** One check of a ServiceEntry against the cluster as the index knows it. Pure: no I/O, no state. */
public interface ServiceEntryRule {

    List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index);
}
