package io.meshguard.index;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ChainConflict;
import java.util.List;

/**
 * An entry as it sits on one listener: the entry, its port there, the matches of the network chains its services
 * build there (none for an HTTP port), and whether one of them takes part in a mechanism that looks past equal
 * matches ({@link io.meshguard.mesh.listener.ListenerFootprint#beyondMatch}).
 */
public record Occupant(ServiceEntryFacts entry, ServicePort port, List<ChainConflict.Match> matches,
        boolean beyondMatch) {
}
