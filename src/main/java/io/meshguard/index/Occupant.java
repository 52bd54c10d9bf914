package io.meshguard.index;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ExportTo;
import java.util.List;

/**
 * An entry as it sits on one listener: the entry, who sees it (as the index files it), its port there, the matches
 * of the network chains its services build there (none for an HTTP port), and whether one of them takes part in a
 * mechanism that looks past equal matches ({@link io.meshguard.mesh.listener.ListenerFootprint#beyondMatch}).
 */
public record Occupant(ServiceEntryFacts entry, ExportTo visibility, ServicePort port,
        List<ChainConflict.Match> matches, boolean beyondMatch) {
}
