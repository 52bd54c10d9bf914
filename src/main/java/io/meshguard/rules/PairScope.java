package io.meshguard.rules;

import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.Visibility;
import java.util.Optional;

/**
 * Whether two entries can meet on a proxy at all, and where: the exemptions of the collision rule
 * that hold whatever the port.
 */
final class PairScope {

    private PairScope() {
    }

    /**
     * The namespaces that see both entries, or empty when the pair is exempt.
     *
     * @param entryVisibility {@code entry.visibility(mesh)}, computed once by a rule that scans many others
     */
    static Optional<Visibility> between(ServiceEntryFacts entry, Visibility entryVisibility, ServiceEntryFacts other,
            MeshConfig mesh) {
        if (entry.key().equals(other.key())) {
            return Optional.empty();
        }
        if (entry.resolution() == Resolution.DYNAMIC_DNS || other.resolution() == Resolution.DYNAMIC_DNS) {
            return Optional.empty();
        }
        // Istio merges the ports of one host declared twice in one namespace into a single service.
        if (entry.namespace().equals(other.namespace()) && entry.sharesHostWith(other)) {
            return Optional.empty();
        }
        Visibility overlap = entryVisibility.overlap(other.visibility(mesh));
        return overlap.isHidden() ? Optional.empty() : Optional.of(overlap);
    }
}
