package io.meshguard.index;

import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ExportTo;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.ProxyView;
import java.util.Collection;
import java.util.Set;

/**
 * A consistent read of the cluster's ServiceEntries, keyed so that a review only touches the entries on the
 * listeners its own ports bind, and those declaring its hosts. Entries with {@code DYNAMIC_DNS} resolution are not
 * filed on listeners (not modelled), and UDP ports bind none.
 */
public interface IndexSnapshot {

    MeshConfig mesh();

    default ProxyView proxy() {
        return ProxyView.of(mesh());
    }

    /** The occupants of {@code key} seen in every namespace. */
    SeenEverywhere seenEverywhere(ListenerKey key);

    /** The occupants of {@code key} exported by name to one of {@code namespaces} (to any, when null), once each. */
    Collection<Occupant> exportedByName(ListenerKey key, Set<String> namespaces);

    /** The occupants of {@code key} one of whose network chains has {@code match}, whoever sees them. */
    Collection<Occupant> onListener(ListenerKey key, ChainConflict.Match match);

    /** How the occupants of {@code key} are served. */
    ListenerMix mix(ListenerKey key);

    /** The entries that declare {@code host}. */
    Collection<ServiceEntryFacts> declaring(String host);

    /** Whether more than one entry declares {@code host}: as {@code declaring(host).size() > 1}, and cheaper. */
    default boolean declaredMoreThanOnce(String host) {
        return declaring(host).size() > 1;
    }

    /** Who sees {@code entry}: remembered for entries the index holds, computed for others. */
    default ExportTo exportTo(ServiceEntryFacts entry) {
        return ExportTo.of(entry, mesh());
    }
}
