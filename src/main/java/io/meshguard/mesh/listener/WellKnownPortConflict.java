package io.meshguard.mesh.listener;

/**
 * {@code isConflictWithWellKnownPort}: when a service meets a listener that already exists on its key, and
 * either its protocol or the listener's is MongoDB or MySQL and they differ, istiod skips the new service on that
 * listener before any filter chain is compared. A different CIDR does not help: the key is {@code 0.0.0.0_<port>}
 * for both.
 */
public final class WellKnownPortConflict {

    private WellKnownPortConflict() {
    }

    /** True when istiod goes on with the conflict; false when it skips the incoming service. */
    public static boolean allowed(IstioProtocol incoming, IstioProtocol existing, ConflictType conflict) {
        if (conflict == ConflictType.NO_CONFLICT) {
            return true;
        }
        boolean wellKnown = incoming == IstioProtocol.MONGO || incoming == IstioProtocol.MYSQL
                || existing == IstioProtocol.MONGO || existing == IstioProtocol.MYSQL;
        return !(wellKnown && incoming != existing);
    }
}
