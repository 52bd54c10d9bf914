package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.ListenerMix;
import io.meshguard.index.Occupant;
import io.meshguard.index.SeenEverywhere;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.IstioProtocol;
import io.meshguard.mesh.listener.ListenerFootprint;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.ListenerProtocol;
import io.meshguard.mesh.listener.ServiceOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Which other occupants of a listener key can change what istiod does with the reviewed entry's chains there, so
 * that a review need not rebuild a listener shared by thousands of entries in every namespace.
 *
 * <p>Both answers rest on how {@code buildSidecarOutboundListener} moves a listener's protocol: once a service of
 * one listener protocol (HTTP, TCP or auto-detect) has joined a listener, a later service of the same protocol
 * leaves the listener's protocol as it is and adds at most a network chain. The exceptions are {@code HTTP_PROXY}
 * (which replaces the listener), MongoDB and MySQL ({@link io.meshguard.mesh.listener.WellKnownPortConflict}) and a
 * {@code /0} destination ({@link io.meshguard.mesh.listener.PrefixShadow}): {@link ListenerFootprint#beyondMatch}.
 * A network chain is dropped exactly when an earlier one has an equal {@link ChainConflict.Match}.
 *
 * <p>Host selection is not decided here: the entries declaring a host that a taken entry declares are taken beside
 * them, and an entry whose host another namespace also declares is always taken.
 */
final class ListenerNeighbours {

    /** The masked form of any IPv4 {@code /0} but {@code 0.0.0.0/0} itself ({@code ChainConflict.cidrSet}). */
    private static final String EVERY_IPV4 = "0.0.0.0/0";

    private ListenerNeighbours() {
    }

    /**
     * On a key where every occupant, the reviewed entry included, is served as TCP and none looks past equal
     * matches, the listener is TCP from its first service on and every later one merges its chain: only the
     * occupants with a chain equal to one of the reviewed entry's can drop it or be dropped by it. On a key served
     * only as HTTP, no service adds a chain after the first, and nothing is dropped. Returns the matches whose
     * occupants can matter (possibly none), or null on any other key.
     *
     * @param ours the reviewed entry's footprints on one key
     * @param others how that key's occupants are served
     */
    static Set<ChainConflict.Match> equalMatchesOnly(List<ListenerFootprint> ours, ListenerMix others) {
        if (others.beyondMatch() > 0 || others.auto() > 0) {
            return null;
        }
        Set<ChainConflict.Match> matches = new HashSet<>(2);
        boolean http = false;
        boolean tcp = false;
        for (ListenerFootprint footprint : ours) {
            if (footprint.beyondMatch()) {
                return null;
            }
            if (footprint.protocol() == ListenerProtocol.HTTP) {
                http = true;
            } else if (footprint.protocol() == ListenerProtocol.TCP) {
                tcp = true;
                matches.add(footprint.tcpMatch());
            } else {
                return null;
            }
        }
        if (tcp && !http && others.http() == 0) {
            return matches;
        }
        if (http && !tcp && others.tcp() == 0) {
            return Set.of();
        }
        return null;
    }

    /**
     * On any other key: every occupant exported to namespaces by name (each such list comes first in its
     * namespace's order, and is taken whole), and of the public ones, which every namespace takes after those and
     * in one order, only those that can matter:
     * <ul>
     * <li>those with a chain equal to one of the reviewed entry's;</li>
     * <li>those that look past equal matches, but a MongoDB or MySQL one only where it may open the listener (it
     *     comes before the first public occupant every proxy keeps), or the reviewed entry may;</li>
     * <li>the catch-all chains, when the reviewed entry's HTTP could be sniffed next to one, or its {@code /0}
     *     could shadow one;</li>
     * <li>per listener protocol, the first of the others: after it, a later one of that protocol changes nothing
     *     but its own chain;</li>
     * <li>those declaring a host another namespace declares (host selection may leave them out).</li>
     * </ul>
     * Null when every occupant must be taken: where {@code HTTP_PROXY} replaces the listener, or where the
     * reviewed entry is MongoDB or MySQL and may come first in some namespace (every later service is then skipped
     * for it): it is exported by name, or no public occupant that host selection keeps everywhere comes before it.
     */
    static List<Occupant> thatMatter(ServiceEntryFacts entry, List<ListenerFootprint> ours, boolean oursPublic,
            SeenEverywhere seenEverywhere, Collection<Occupant> exportedByName, IndexSnapshot index) {
        Set<ChainConflict.Match> matches = new HashSet<>(2);
        boolean wellKnown = false;
        boolean catchAllMatters = false;
        for (ListenerFootprint footprint : ours) {
            IstioProtocol protocol = footprint.portProtocol();
            if (protocol == IstioProtocol.HTTP_PROXY) {
                return null;
            }
            wellKnown |= protocol == IstioProtocol.MONGO || protocol == IstioProtocol.MYSQL;
            catchAllMatters |= footprint.key().isWildcard() && (footprint.protocol() != ListenerProtocol.TCP
                    || footprint.beyondMatch());
            if (footprint.tcpMatch() != null) {
                matches.add(footprint.tcpMatch());
            }
        }
        if (wellKnown && !oursPublic) {
            return null;
        }
        for (Occupant occupant : seenEverywhere.beyondMatch()) {
            if (occupant.port().istioProtocol() == IstioProtocol.HTTP_PROXY) {
                return null;
            }
        }
        List<Occupant> taken = new ArrayList<>();
        for (Occupant occupant : exportedByName) {
            if (occupant.port().istioProtocol() == IstioProtocol.HTTP_PROXY) {
                return null;
            }
            if (!occupant.entry().key().equals(entry.key())) {
                taken.add(occupant);
            }
        }
        ListenerKey key = ours.get(0).key();
        Taken takenEverywhere = new Taken();
        for (ChainConflict.Match match : matches) {
            Collection<Occupant> matching = match.equals(ChainConflict.MATCH_ALL) ? seenEverywhere.catchAll()
                    : index.onListener(key, match);
            for (Occupant occupant : matching) {
                if (!occupant.entry().key().equals(entry.key()) && occupant.visibility().isPublic()) {
                    takenEverywhere.add(occupant);
                }
            }
        }
        if (catchAllMatters) {
            for (Occupant occupant : seenEverywhere.catchAll()) {
                if (!occupant.entry().key().equals(entry.key())) {
                    takenEverywhere.add(occupant);
                }
            }
        }
        List<Occupant> wellKnownLater = new ArrayList<>();
        for (Occupant occupant : seenEverywhere.beyondMatch()) {
            if (!occupant.entry().key().equals(entry.key()) && !takenEverywhere.contains(occupant)) {
                if (wellKnownOnly(occupant)) {
                    wellKnownLater.add(occupant);
                } else {
                    takenEverywhere.add(occupant);
                }
            }
        }
        // Per listener protocol, the first of the others, and before it those host selection may leave out.
        List<Occupant> firsts = new ArrayList<>();
        for (ListenerProtocol protocol : ListenerProtocol.values()) {
            for (Occupant occupant : seenEverywhere.inFirstServiceOrder(protocol)) {
                if (occupant.entry().key().equals(entry.key()) || takenEverywhere.contains(occupant)) {
                    continue;
                }
                firsts.add(occupant);
                if (!declaredElsewhere(occupant.entry(), entry, index)) {
                    break;
                }
            }
        }
        firsts.forEach(takenEverywhere::add);
        List<Occupant> all = new ArrayList<>(takenEverywhere.list.size() + wellKnownLater.size());
        all.addAll(takenEverywhere.list);
        all.addAll(wellKnownLater);
        Occupant first = firstKeptEverywhere(all, entry, index);
        boolean oursMayOpen = !oursPublic || first == null
                || ServiceOrder.BY_FIRST_SERVICE.compare(entry, first.entry()) < 0;
        if (wellKnown && oursMayOpen) {
            return null;
        }
        taken.addAll(takenEverywhere.list);
        for (Occupant occupant : wellKnownLater) {
            if (oursMayOpen || ServiceOrder.BY_FIRST_SERVICE.compare(occupant.entry(), first.entry()) <= 0) {
                taken.add(occupant);
            }
        }
        return taken;
    }

    /**
     * A MongoDB or MySQL occupant whose chain does not match every IPv4 destination: after the listener exists, it
     * changes nothing but its own fate (skipped by {@code isConflictWithWellKnownPort} when the listener's protocol
     * differs, or merged by {@code mergeTCPFilterChains} beside an equal protocol; listener.go), so it matters only
     * where it may open the listener, or where the reviewed entry may and then skips it.
     */
    private static boolean wellKnownOnly(Occupant occupant) {
        IstioProtocol protocol = occupant.port().istioProtocol();
        if (protocol != IstioProtocol.MONGO && protocol != IstioProtocol.MYSQL) {
            return false;
        }
        for (ChainConflict.Match match : occupant.matches()) {
            if (match.destinationCidrs().contains(EVERY_IPV4)) {
                return false;
            }
        }
        return true;
    }

    /** The first of {@code occupants} that host selection keeps in every namespace. */
    private static Occupant firstKeptEverywhere(List<Occupant> occupants, ServiceEntryFacts reviewed,
            IndexSnapshot index) {
        Occupant first = null;
        for (Occupant occupant : occupants) {
            if ((first == null || ServiceOrder.BY_FIRST_SERVICE.compare(occupant.entry(), first.entry()) < 0)
                    && !declaredElsewhere(occupant.entry(), reviewed, index)) {
                first = occupant;
            }
        }
        return first;
    }

    /** Occupants taken, each once (by identity), in the order they were taken. */
    private static final class Taken {
        final List<Occupant> list = new ArrayList<>();
        private final Set<Occupant> taken = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

        void add(Occupant occupant) {
            if (taken.add(occupant)) {
                list.add(occupant);
            }
        }

        boolean contains(Occupant occupant) {
            return taken.contains(occupant);
        }
    }

    /**
     * A host that another namespace also declares, the reviewed entry's included: which namespace's service a
     * proxy keeps depends on it.
     */
    private static boolean declaredElsewhere(ServiceEntryFacts other, ServiceEntryFacts reviewed,
            IndexSnapshot index) {
        for (String host : other.hosts()) {
            if (!reviewed.namespace().equals(other.namespace()) && reviewed.hosts().contains(host)) {
                return true;
            }
            for (ServiceEntryFacts declaring : index.declaring(host)) {
                if (!declaring.namespace().equals(other.namespace())) {
                    return true;
                }
            }
        }
        return false;
    }
}
