package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ExportTo;
import io.meshguard.mesh.listener.HostSelection;
import io.meshguard.mesh.listener.IstioProtocol;
import io.meshguard.mesh.listener.ListenerFootprint;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.ListenerProtocol;
import io.meshguard.mesh.listener.Mechanism;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.OutboundListeners;
import io.meshguard.mesh.listener.ProxyView;
import io.meshguard.mesh.listener.ServiceConversion;
import io.meshguard.mesh.listener.ServiceOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The listener model over a whole cluster at once: each listener key is built once per set of namespaces whose
 * proxies see the same services there, with every entry on it, and what istiod does is told to the entries it
 * concerns: a denial to the one that loses, a warning to both. The findings are those {@link OutboundListenerRule}
 * gives each entry reviewed against all the others, at the cost of one build per key and namespace set instead of
 * one per entry.
 *
 * <p>A key held by thousands of public entries is not built whole in every namespace. Following the argument of
 * {@link ListenerNeighbours}, a public entry whose chains there match nobody else's, that looks past no match, whose
 * hosts no other entry declares, and that comes after the first public service of its listener protocol, can only
 * meet the fate that the listener's first service gives any later one: skipped when it is MongoDB or MySQL
 * ({@code isConflictWithWellKnownPort}), else left alone. In {@code buildSidecarOutboundListener} (listener.go) a later
 * service of a protocol already on the listener is a TCP-over-TCP, TCP-over-auto or (its own comment) auto-over-auto
 * case that merges only its TCP chain, or an HTTP service that adds nothing; neither changes the listener's protocol.
 * One of them stands in line for all; what happens to it happens to each of them.
 */
public final class ListenerAudit {

    private final boolean pruning;
    private final int listed;

    public ListenerAudit() {
        this(true, ServiceEntryReview.LISTED);
    }

    /**
     * @param pruning let representatives stand for the entries that only follow (false: build every one, to compare)
     * @param listed how many findings of one severity an entry keeps in full
     */
    ListenerAudit(boolean pruning, int listed) {
        this.pruning = pruning;
        this.listed = listed;
    }

    /**
     * The listener findings of every entry, worded on demand: past {@link ServiceEntryReview#LISTED} of one
     * severity, an entry's findings are only counted, as a decision lists them.
     *
     * @param visibility who sees each entry: the index's own exportTo sets, so that an audit does not copy them
     */
    public Function<ServiceEntryFacts, List<Finding>> findings(Collection<ServiceEntryFacts> entries,
            Function<ServiceEntryFacts, ExportTo> visibility, MeshConfig mesh) {
        Cluster cluster = new Cluster(entries, visibility, mesh);
        Report report = new Report(listed, new FindingNumbers());
        Set<String> settled = new HashSet<>();
        cluster.byKey.forEach((key, occupants) -> {
            if (occupants.slots == 1 && !cluster.sharesHost(occupants.entries.get(0))) {
                return; // one chain, and a host no one else declares: nothing to drop, nothing to sniff
            }
            KeyBuild build = new KeyBuild(cluster, key, cluster.slots(key, occupants.entries), pruning);
            settled.addAll(build.settledHosts);
            build.run(report);
            cluster.forgetModels();
        });
        // Hosts declared more than once by entries that bind no listener: host selection alone.
        cluster.shared.forEach((host, declarers) -> {
            if (!settled.contains(host)) {
                List<Slot> seeds = new ArrayList<>();
                declarers.forEach(d -> seeds.add(new Slot(cluster.model(d), null, null, null, false)));
                KeyBuild build = new KeyBuild(cluster, null, seeds, false);
                settled.addAll(build.settledHosts);
                build.run(report);
                cluster.forgetModels();
            }
        });
        Map<EntryKey, EntryFindings> byKey = new HashMap<>();
        report.byEntry.forEach((entry, found) -> byKey.put(entry.key(), found));
        return entry -> {
            EntryFindings found = byKey.get(entry.key());
            return found == null || !ObjectLimits.within(entry) ? List.of() : found.findings();
        };
    }

    /** An entry as the listener model takes it: who sees it, and its services. */
    private record Modelled(ServiceEntryFacts entry, ExportTo exportTo, List<MeshService> services) {
    }

    /**
     * One service port on one listener key.
     *
     * @param tcpMatch the match of its network chain there; null for an HTTP port
     * @param beyondMatch it takes part in a mechanism that looks past equal matches ({@link ListenerFootprint})
     */
    private record Slot(Modelled owner, MeshService service, ServicePort port, ChainConflict.Match tcpMatch,
            boolean beyondMatch) {
    }

    /**
     * Every audited entry, filed by the keys its ports bind and by the hosts several entries declare. The entries are
     * modelled (their services converted, their ports put in slots) only for the key being built, and forgotten
     * after it: a model of every entry at once would hold about a third of the index again, more than the old
     * generation of a webhook sized for its index has free.
     */
    private static final class Cluster {
        final ProxyView proxy;
        private final Function<ServiceEntryFacts, ExportTo> visibility;
        /** For each key, in the order of the audit, the entries whose ports bind it. */
        final Map<ListenerKey, KeyOccupants> byKey = new LinkedHashMap<>();
        /** The entries declaring each host, for the hosts several entries declare. */
        final Map<String, List<ServiceEntryFacts>> shared = new LinkedHashMap<>();
        private final Map<ServiceEntryFacts, Modelled> models = new IdentityHashMap<>();

        Cluster(Collection<ServiceEntryFacts> entries, Function<ServiceEntryFacts, ExportTo> visibility,
                MeshConfig mesh) {
            this.proxy = ProxyView.of(mesh);
            this.visibility = visibility;
            Map<String, ServiceEntryFacts> firstDeclaring = new HashMap<>();
            for (ServiceEntryFacts entry : entries) {
                if (entry.resolution() == Resolution.DYNAMIC_DNS || visibility.apply(entry).isHidden()) {
                    continue;
                }
                for (String host : entry.hosts()) {
                    ServiceEntryFacts first = firstDeclaring.putIfAbsent(host, entry);
                    if (first != null) {
                        shared.computeIfAbsent(host, h -> new ArrayList<>(List.of(first))).add(entry);
                    }
                }
                List<MeshService> services = ServiceConversion.convertServices(entry);
                for (ServicePort port : entry.ports()) {
                    if (port.istioProtocol() == IstioProtocol.UDP) {
                        continue;
                    }
                    for (MeshService service : services) {
                        ListenerFootprint footprint = ListenerFootprint.of(service, port, proxy);
                        if (footprint != null) {
                            byKey.computeIfAbsent(footprint.key(), k -> new KeyOccupants()).add(entry);
                        }
                    }
                }
            }
        }

        /** The slots of {@code key}, in the order of its occupants, their ports and their services. */
        List<Slot> slots(ListenerKey key, List<ServiceEntryFacts> occupants) {
            List<Slot> slots = new ArrayList<>(occupants.size());
            for (ServiceEntryFacts entry : occupants) {
                Modelled m = model(entry);
                for (ServicePort port : entry.ports()) {
                    if (port.istioProtocol() == IstioProtocol.UDP) {
                        continue;
                    }
                    for (MeshService service : m.services) {
                        ListenerFootprint footprint = ListenerFootprint.of(service, port, proxy);
                        if (footprint != null && footprint.key().equals(key)) {
                            slots.add(new Slot(m, service, port, footprint.tcpMatch(), footprint.beyondMatch()));
                        }
                    }
                }
            }
            return slots;
        }

        /** The same model of {@code entry} until {@link #forgetModels}: a build compares services by identity. */
        Modelled model(ServiceEntryFacts entry) {
            return models.computeIfAbsent(entry,
                    e -> new Modelled(e, visibility.apply(e), ServiceConversion.convertServices(e)));
        }

        void forgetModels() {
            models.clear();
        }

        boolean sharesHost(ServiceEntryFacts entry) {
            for (String host : entry.hosts()) {
                if (shared.containsKey(host)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** The entries whose ports bind one key, each once, and how many slots they have there. */
    private static final class KeyOccupants {
        final List<ServiceEntryFacts> entries = new ArrayList<>(1);
        int slots;

        void add(ServiceEntryFacts entry) {
            if (entries.isEmpty() || entries.get(entries.size() - 1) != entry) {
                entries.add(entry);
            }
            slots++;
        }
    }

    /** One listener key (or none: host selection alone), built for each set of namespaces that see alike. */
    private static final class KeyBuild {
        private final Cluster cluster;
        private final ListenerKey key;
        /** The entries taking part: those on the key and those declaring a host one of them shares. */
        private final Set<ServiceEntryFacts> candidates = Collections.newSetFromMap(new IdentityHashMap<>());
        /**
         * The shared hosts of the entries on the key: every entry declaring one takes part, so which declaration
         * each proxy uses is settled here. A host only a taking-part entry declares may have declarations elsewhere.
         * Host selection leaves a service out only for a host declared more than once.
         */
        final Set<String> settledHosts = new HashSet<>();
        private final List<Modelled> order = new ArrayList<>();
        /** The public services, in istiod's order: every one, or the relevant ones and the representatives. */
        private final List<ServiceOrder.Ranked> publicRanked = new ArrayList<>();
        /** The candidates exported to each namespace by name. */
        private final ExportedByName byName = new ExportedByName();
        /** A representative's stand-ins, itself first. */
        private final Map<MeshService, List<Slot>> standsFor = new IdentityHashMap<>();

        KeyBuild(Cluster cluster, ListenerKey key, List<Slot> slots, boolean pruning) {
            this.cluster = cluster;
            this.key = key;
            for (Slot slot : slots) {
                add(slot.owner);
            }
            for (Modelled occupant : List.copyOf(order)) {
                for (String host : occupant.entry.hosts()) {
                    List<ServiceEntryFacts> rivals = cluster.shared.get(host);
                    if (rivals != null) {
                        settledHosts.add(host);
                        rivals.forEach(rival -> add(cluster.model(rival)));
                    }
                }
            }
            Set<Modelled> followers = pruning && key != null ? followers(slots) : Set.of();
            List<MeshService> publicServices = new ArrayList<>();
            for (Modelled m : order) {
                if (m.exportTo.isPublic()) {
                    publicServices.addAll(m.services);
                } else {
                    byName.add(m.exportTo.namespaces(), m.services);
                }
            }
            publicServices.sort(ServiceOrder.BY_CREATION_TIME);
            representatives(publicServices, followers, slots);
        }

        private void add(Modelled m) {
            if (candidates.add(m.entry)) {
                order.add(m);
            }
        }

        /**
         * The public entries on the key that only follow: every chain of theirs matches nobody else's, none looks
         * past matches, no other entry declares their hosts, and a public service of their listener protocol that
         * every proxy keeps comes before each of their services. None where {@code HTTP_PROXY} replaces the listener.
         */
        private Set<Modelled> followers(List<Slot> slots) {
            Map<ChainConflict.Match, Integer> matchCount = new HashMap<>();
            Map<MeshService, Integer> slotsOfService = new IdentityHashMap<>();
            for (Slot slot : slots) {
                if (slot.port.istioProtocol() == IstioProtocol.HTTP_PROXY) {
                    return Set.of();
                }
                if (slot.tcpMatch != null) {
                    matchCount.merge(slot.tcpMatch, 1, Integer::sum);
                }
                slotsOfService.merge(slot.service, 1, Integer::sum);
            }
            Set<Modelled> leaders = Collections.newSetFromMap(new IdentityHashMap<>());
            List<Slot> publicSlots = new ArrayList<>();
            for (Slot slot : slots) {
                if (!slot.owner.exportTo.isPublic()) {
                    continue;
                }
                ChainConflict.Match match = slot.tcpMatch;
                if (slot.beyondMatch || ChainConflict.MATCH_ALL.equals(match)
                        || (match != null && matchCount.get(match) > 1) || slotsOfService.get(slot.service) > 1
                        || cluster.sharesHost(slot.owner.entry)) {
                    leaders.add(slot.owner);
                }
                publicSlots.add(slot);
            }
            publicSlots.sort((a, b) -> ServiceOrder.BY_CREATION_TIME.compare(a.service, b.service));
            Set<ListenerProtocol> opened = new HashSet<>();
            for (Slot slot : publicSlots) {
                ListenerProtocol protocol = slot.port.istioProtocol().listenerProtocol();
                if (!opened.contains(protocol)) {
                    leaders.add(slot.owner);
                    if (!cluster.sharesHost(slot.owner.entry)) {
                        opened.add(protocol);
                    }
                }
            }
            Set<Modelled> followers = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Slot slot : publicSlots) {
                if (!leaders.contains(slot.owner)) {
                    followers.add(slot.owner);
                }
            }
            return followers;
        }

        /**
         * The public services to build: every one but the followers', and the first follower standing for all of
         * them. A follower meets the listener after the first public service of its listener protocol, so it only
         * adds a chain of its own (an auto-detect port meets an auto-detect listener and adds no HTTP chain), unless
         * the listener's first service is MongoDB or MySQL, which skips every later service of another protocol.
         */
        private void representatives(List<MeshService> publicServices, Set<Modelled> followers, List<Slot> slots) {
            Map<MeshService, Slot> slotOf = new IdentityHashMap<>();
            for (Slot slot : slots) {
                if (followers.contains(slot.owner)) {
                    slotOf.put(slot.service, slot);
                }
            }
            List<Slot> represented = null;
            for (MeshService service : publicServices) {
                Slot slot = slotOf.get(service);
                if (slot == null || represented == null) {
                    publicRanked.add(new ServiceOrder.Ranked(service, false));
                }
                if (slot != null) {
                    if (represented == null) {
                        represented = new ArrayList<>();
                        standsFor.put(service, represented);
                    }
                    represented.add(slot);
                }
            }
        }

        void run(Report report) {
            report.standsFor = standsFor;
            for (List<String> alike : namespaceSets()) {
                String namespace = alike.get(0);
                List<ServiceOrder.Ranked> ranked = new ArrayList<>();
                byName.forEach(namespace, service -> ranked.add(new ServiceOrder.Ranked(service, true)));
                ranked.sort(ServiceOrder.forNamespace());
                ranked.addAll(publicRanked);
                Map<MeshService, ServiceOrder.Ranked> rankOf = new IdentityHashMap<>(ranked.size() * 2);
                ranked.forEach(r -> rankOf.put(r.service(), r));
                report.begin(alike, rankOf);
                List<ServiceOrder.Ranked> kept = HostSelection.select(ranked, namespace, (ignored, chosen) -> {
                    if (settledHosts.contains(ignored.service().hostname())) {
                        report.ignored(ignored, chosen);
                    }
                });
                if (key != null) {
                    OutboundListeners.build(kept, cluster.proxy, port -> port == key.port(), key::equals, report);
                }
            }
        }

        /**
         * {@link OutboundListenerRule#OTHER} and every namespace some candidate is exported to by name or that
         * declares a host another namespace declares ({@link ExportedByName#alike}).
         */
        private List<List<String>> namespaceSets() {
            Set<String> declaringShared = new HashSet<>();
            for (Modelled m : order) {
                for (String host : m.entry.hosts()) {
                    List<ServiceEntryFacts> all = cluster.shared.get(host);
                    if (all != null) {
                        Set<String> namespaces = new HashSet<>();
                        all.forEach(d -> namespaces.add(d.namespace()));
                        if (namespaces.size() > 1) {
                            declaringShared.addAll(namespaces);
                        }
                    }
                }
            }
            Set<String> namespaces = new TreeSet<>(byName.namespaces());
            namespaces.add(OutboundListenerRule.OTHER);
            namespaces.addAll(declaringShared);
            return byName.alike(namespaces, declaringShared, namespace -> false);
        }
    }

    /** Tells every entry what concerns it; what happens to a representative happens to each it stands for. */
    private static final class Report extends BuildReport {
        final Map<ServiceEntryFacts, EntryFindings> byEntry = new IdentityHashMap<>();
        private final int listed;
        private final FindingNumbers numbers;
        Map<MeshService, List<Slot>> standsFor = Map.of();

        Report(int listed, FindingNumbers numbers) {
            this.listed = listed;
            this.numbers = numbers;
        }

        @Override
        boolean tells(ServiceEntryFacts entry) {
            return true;
        }

        @Override
        boolean tellsKeeperOfDenial() {
            return false;
        }

        @Override
        void record(ServiceEntryFacts entry, ListenerFindings.Event event, List<String> namespaces) {
            byEntry.computeIfAbsent(entry, e -> new EntryFindings(e, listed, numbers))
                    .record(event, namespaces);
        }

        @Override
        public void dropped(MeshService dropped, int port, ListenerKey key, MeshService keeper, Mechanism mechanism,
                boolean nonHttpOnly) {
            requireLeading(keeper);
            List<Slot> each = standsFor.get(dropped);
            if (each == null) {
                super.dropped(dropped, port, key, keeper, mechanism, nonHttpOnly);
                return;
            }
            for (Slot slot : each) {
                super.dropped(slot.service, slot.port.number(), key, keeper, mechanism, nonHttpOnly);
            }
        }

        @Override
        public void sniffing(ListenerKey key, MeshService http, MeshService tcp) {
            requireLeading(tcp);
            List<Slot> each = standsFor.get(http);
            if (each == null) {
                super.sniffing(key, http, tcp);
                return;
            }
            for (Slot slot : each) {
                super.sniffing(key, slot.service, tcp);
            }
        }

        /** A representative only follows: it never keeps a listener nor owns a catch-all chain. */
        private void requireLeading(MeshService service) {
            if (service != null && standsFor.containsKey(service)) {
                throw new IllegalStateException("a representative of following services kept " + service);
            }
        }
    }
}
