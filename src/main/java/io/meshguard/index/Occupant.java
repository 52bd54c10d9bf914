package io.meshguard.index;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;

/** An entry as it sits on one listener: the entry and its port there. */
public record Occupant(ServiceEntryFacts entry, ServicePort port) {
}
