package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.ListenerMix;
import io.meshguard.index.Occupant;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.IstioProtocol;
import io.meshguard.mesh.listener.ListenerFootprint;
import io.meshguard.mesh.listener.ListenerProtocol;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
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

    /** {@code SortServicesByCreationTime} for an entry's first service: created, host, namespace, name. */
    private static final Comparator<ServiceEntryFacts> FIRST_SERVICE = Comparator
            .comparingLong(ServiceEntryFacts::createdMillis)
            .thenComparing(ListenerNeighbours::firstHost)
            .thenComparing(ServiceEntryFacts::namespace)
            .thenComparing(ServiceEntryFacts::name);

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
            Collection<Occupant> seenEverywhere, Collection<Occupant> exportedByName, IndexSnapshot index) {
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
        List<Occupant> taken = new ArrayList<>();
        for (Occupant occupant : exportedByName) {
            if (occupant.port().istioProtocol() == IstioProtocol.HTTP_PROXY) {
                return null;
            }
            if (!occupant.entry().key().equals(entry.key())) {
                taken.add(occupant);
            }
        }
        List<Occupant> rest = new ArrayList<>();
        List<Occupant> takenEverywhere = new ArrayList<>();
        List<Occupant> wellKnownLater = new ArrayList<>();
        Occupant[] firstOf = new Occupant[ListenerProtocol.values().length];
        for (Occupant occupant : seenEverywhere) {
            IstioProtocol protocol = occupant.port().istioProtocol();
            if (protocol == IstioProtocol.HTTP_PROXY) {
                return null;
            }
            if (occupant.entry().key().equals(entry.key())) {
                continue;
            }
            if (intersects(occupant.matches(), matches)
                    || (catchAllMatters && occupant.matches().contains(ChainConflict.MATCH_ALL))) {
                takenEverywhere.add(occupant);
                continue;
            }
            if (occupant.beyondMatch()) {
                (wellKnownOnly(occupant) ? wellKnownLater : takenEverywhere).add(occupant);
                continue;
            }
            rest.add(occupant);
            int served = protocol.listenerProtocol().ordinal();
            if (firstOf[served] == null || FIRST_SERVICE.compare(occupant.entry(), firstOf[served].entry()) < 0) {
                firstOf[served] = occupant;
            }
        }
        Set<Occupant> leftOut = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (ListenerProtocol protocol : ListenerProtocol.values()) {
            Occupant first = firstOf[protocol.ordinal()];
            if (first != null && declaredElsewhere(first.entry(), entry, index)) {
                first = firstKeptEverywhere(rest, protocol, leftOut, entry, index);
            }
            if (first != null) {
                takenEverywhere.add(first);
            }
        }
        takenEverywhere.addAll(leftOut);
        List<Occupant> all = new ArrayList<>(takenEverywhere.size() + wellKnownLater.size());
        all.addAll(takenEverywhere);
        all.addAll(wellKnownLater);
        Occupant first = firstKeptEverywhere(all, null, new HashSet<>(), entry, index);
        boolean oursMayOpen = !oursPublic || first == null || FIRST_SERVICE.compare(entry, first.entry()) < 0;
        if (wellKnown && oursMayOpen) {
            return null;
        }
        for (Occupant occupant : wellKnownLater) {
            if (oursMayOpen || FIRST_SERVICE.compare(occupant.entry(), first.entry()) <= 0) {
                takenEverywhere.add(occupant);
            }
        }
        taken.addAll(takenEverywhere);
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

    /**
     * The first of {@code occupants} served as {@code protocol} (any, when null) that host selection keeps in
     * every namespace. One whose host another namespace declares may be left out in some: it goes into
     * {@code leftOut}, to be taken, and the next one is looked for.
     */
    private static Occupant firstKeptEverywhere(List<Occupant> occupants, ListenerProtocol protocol,
            Set<Occupant> leftOut, ServiceEntryFacts reviewed, IndexSnapshot index) {
        while (true) {
            Occupant first = null;
            for (Occupant occupant : occupants) {
                if ((protocol == null || occupant.port().istioProtocol().listenerProtocol() == protocol)
                        && !leftOut.contains(occupant)
                        && (first == null || FIRST_SERVICE.compare(occupant.entry(), first.entry()) < 0)) {
                    first = occupant;
                }
            }
            if (first == null || !declaredElsewhere(first.entry(), reviewed, index)) {
                return first;
            }
            leftOut.add(first);
        }
    }

    private static boolean intersects(List<ChainConflict.Match> theirs, Set<ChainConflict.Match> ours) {
        for (ChainConflict.Match match : theirs) {
            if (ours.contains(match)) {
                return true;
            }
        }
        return false;
    }

    private static String firstHost(ServiceEntryFacts entry) {
        String first = null;
        for (String host : entry.hosts()) {
            if (first == null || host.compareTo(first) < 0) {
                first = host;
            }
        }
        return first == null ? "" : first;
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
