package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.Occupant;
import io.meshguard.index.SeenEverywhere;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ExportTo;
import io.meshguard.mesh.listener.HostSelection;
import io.meshguard.mesh.listener.IstioProtocol;
import io.meshguard.mesh.listener.ListenerFootprint;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.OutboundListeners;
import io.meshguard.mesh.listener.ProxyView;
import io.meshguard.mesh.listener.ServiceConversion;
import io.meshguard.mesh.listener.ServiceOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Builds, for the proxies of each namespace that sees the entry under review, the outbound listeners its ports
 * bind, as istiod would with the entry added (the model in {@code mesh.listener}), and reports what istiod then
 * drops that concerns this entry: its own services dropped, or others' dropped because of it. Only the
 * {@link ListenerNeighbours} that can change the outcome take part. Namespaces whose proxies see the same services in
 * the same order give the same listeners: every namespace none of them is exported to by name is built once, as
 * {@code *}; the others once per set of services they see, and one by one where their own declaration of a shared
 * host changes the choice. Of namespaces given by name services of one {@link ByNameShape}, one is built and the
 * others are told what it found, the owners exchanged.
 */
public final class OutboundListenerRule implements ServiceEntryRule {

    public static final String COLLISION = "ListenerCollision";
    public static final String WELL_KNOWN_PORT = "ProtocolFilterCollision";
    public static final String HTTP_PROXY = "HttpProxyListener";
    public static final String PREFIX_SHADOW = "CatchAllPrefix";
    public static final String HOST_COLLISION = "HostCollision";
    public static final String DUPLICATE_HOST = "DuplicateHost";
    public static final String SNIFFING = "SniffingListener";

    /** Stands for every namespace no exportTo names and no shared host makes special. */
    static final String OTHER = ServiceEntryReview.EVERY_OTHER_NAMESPACE;

    private final boolean pruning;
    private final boolean replaying;

    public OutboundListenerRule() {
        this(true, true);
    }

    /** @param pruning take only the {@link ListenerNeighbours} that can matter (false: every occupant, to compare) */
    OutboundListenerRule(boolean pruning) {
        this(pruning, true);
    }

    /**
     * @param replaying tell namespaces whose by-name services have a {@link ByNameShape} already built what that
     *     build found, the owners exchanged (false: build each, to compare)
     */
    OutboundListenerRule(boolean pruning, boolean replaying) {
        this.pruning = pruning;
        this.replaying = replaying;
    }

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        return check(entry, index, Integer.MAX_VALUE);
    }

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index, int described) {
        return check(entry, index, described, namespace -> {
        });
    }

    /** @param built told each namespace built on its own ({@link #OTHER} stands for the rest) */
    List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index, Consumer<String> built) {
        return check(entry, index, Integer.MAX_VALUE, built);
    }

    private List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index, int described, Consumer<String> built) {
        if (entry.resolution() == Resolution.DYNAMIC_DNS || !ObjectLimits.within(entry)) {
            return List.of();
        }
        ExportTo visibility = index.exportTo(entry);
        if (visibility.isHidden()) {
            return List.of();
        }
        ProxyView proxy = index.proxy();
        List<MeshService> ours = ServiceConversion.convertServices(entry);
        Set<Integer> ports = new HashSet<>();
        Map<ListenerKey, List<ListenerFootprint>> footprints = new LinkedHashMap<>();
        for (ServicePort port : entry.ports()) {
            if (port.istioProtocol() == IstioProtocol.UDP) {
                continue;
            }
            ports.add(port.number());
            for (MeshService service : ours) {
                ListenerFootprint footprint = ListenerFootprint.of(service, port, proxy);
                if (footprint != null) {
                    footprints.computeIfAbsent(footprint.key(), k -> new ArrayList<>(1)).add(footprint);
                }
            }
        }
        Set<ListenerKey> keys = footprints.keySet();

        Candidates candidates = new Candidates(entry, index);
        footprints.forEach((key, mine) -> {
            Set<ChainConflict.Match> matches = pruning
                    ? ListenerNeighbours.equalMatchesOnly(mine, index.mix(key)) : null;
            if (matches != null) {
                for (ChainConflict.Match match : matches) {
                    for (Occupant occupant : index.onListener(key, match)) {
                        candidates.add(occupant.entry());
                    }
                }
            } else {
                Set<String> namespaces = visibility.isPublic() ? null : visibility.namespaces();
                SeenEverywhere everywhere = index.seenEverywhere(key);
                Collection<Occupant> byName = index.exportedByName(key, namespaces);
                List<Occupant> matter = pruning ? ListenerNeighbours.thatMatter(entry, mine, visibility.isPublic(),
                        everywhere, byName, index) : null;
                if (matter != null) {
                    candidates.addOccupants(matter);
                } else {
                    candidates.addOccupants(everywhere.all());
                    candidates.addOccupants(byName);
                }
            }
        });
        for (String host : entry.hosts()) {
            candidates.addAll(index.declaring(host));
        }
        candidates.addHostRivals();

        Collector collector = new Collector(entry, described);
        // The public services in istiod's order once; each namespace only puts its by-name services ahead of them.
        List<ServiceOrder.Ranked> publicRanked = new ArrayList<>();
        if (visibility.isPublic()) {
            for (MeshService service : ours) {
                publicRanked.add(new ServiceOrder.Ranked(service, false));
            }
        }
        candidates.publicRanked(publicRanked);
        publicRanked.sort(ServiceOrder.forNamespace());
        Map<ByNameShape, Replay> replays = new HashMap<>();
        ByNameShape.Reader shapes = new ByNameShape.Reader(ports, proxy);
        Set<String> declaringShared = candidates.declaringSharedHosts();
        Set<String> builtAlone = replaying ? candidates.builtAlone(declaringShared) : Set.of();
        for (List<String> alike : candidates.alike(candidates.namespaces(visibility, declaringShared),
                declaringShared, visibility)) {
            String namespace = alike.get(0);
            List<MeshService> byName = replaying ? candidates.replayable(namespace, visibility, builtAlone) : null;
            ByNameShape shape = byName == null ? null : shapes.of(byName);
            Replay replay = shape == null ? null : replays.get(shape);
            alike.forEach(built);
            if (replay != null) {
                replay.tell(byName, alike, collector);
                continue;
            }
            List<ServiceOrder.Ranked> ranked = new ArrayList<>();
            if (visibility.exportedByName(namespace)) {
                for (MeshService service : ours) {
                    ranked.add(new ServiceOrder.Ranked(service, true));
                }
            }
            candidates.byNameIn(namespace, ranked);
            ranked.sort(ServiceOrder.forNamespace());
            ranked.addAll(publicRanked);
            Map<MeshService, ServiceOrder.Ranked> rankOf = new IdentityHashMap<>(ranked.size() * 2);
            ranked.forEach(r -> rankOf.put(r.service(), r));
            collector.begin(alike, rankOf, shape == null ? null : new ArrayList<>());
            List<ServiceOrder.Ranked> kept = HostSelection.select(ranked, namespace, collector::ignored);
            OutboundListeners.build(kept, proxy, ports::contains, keys::contains, collector);
            if (shape != null) {
                replays.put(shape, new Replay(byName, collector.told()));
            }
        }
        return collector.findings();
    }

    /**
     * What one build told about the reviewed entry, where its namespaces were given {@code byName} by name (in their
     * order): told again for namespaces given services of the same shape, exchanged place for place.
     */
    private record Replay(List<MeshService> byName, List<ListenerFindings.Event> told,
            Map<MeshService, Integer> places) {

        Replay(List<MeshService> byName, List<ListenerFindings.Event> told) {
            this(byName, told, new IdentityHashMap<>(byName.size() * 2));
            for (int i = 0; i < byName.size(); i++) {
                places.put(byName.get(i), i);
            }
        }

        void tell(List<MeshService> theirs, List<String> namespaces, Collector collector) {
            for (ListenerFindings.Event event : told) {
                collector.retell(event.replacing(service -> {
                    Integer place = places.get(service);
                    return place == null ? service : theirs.get(place);
                }), namespaces);
            }
        }
    }

    /** The other entries that can change this entry's listeners, with what the index remembers of them. */
    private static final class Candidates {
        private final ServiceEntryFacts entry;
        private final IndexSnapshot index;
        /** By identity: a reserved version and the stored one of the same object both count. */
        private final Set<ServiceEntryFacts> entries = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        /** The hosts of the candidates that more than one stored entry declares, in the order they were met. */
        private final Set<String> sharedHosts = new LinkedHashSet<>();
        private final List<MeshService> publicServices = new ArrayList<>();
        private final ExportedByName byName = new ExportedByName();
        private final Map<String, Set<String>> hostNamespaces = new HashMap<>();

        Candidates(ServiceEntryFacts entry, IndexSnapshot index) {
            this.entry = entry;
            this.index = index;
            for (String host : entry.hosts()) {
                hostNamespaces.computeIfAbsent(host, h -> new HashSet<>(2)).add(entry.namespace());
            }
        }

        void addAll(Iterable<ServiceEntryFacts> others) {
            for (ServiceEntryFacts other : others) {
                add(other);
            }
        }

        void addOccupants(Collection<Occupant> occupants) {
            for (Occupant occupant : occupants) {
                add(occupant.entry(), occupant.visibility());
            }
        }

        void add(ServiceEntryFacts other) {
            add(other, null);
        }

        /** @param exportTo who sees {@code other}, when the index said so already */
        private void add(ServiceEntryFacts other, ExportTo exportTo) {
            if (other.key().equals(entry.key()) || other.resolution() == Resolution.DYNAMIC_DNS
                    || entries.contains(other)) {
                return;
            }
            if (exportTo == null) {
                exportTo = index.exportTo(other);
            }
            if (exportTo.isHidden()) {
                return;
            }
            entries.add(other);
            List<MeshService> services = ServiceConversion.convertServices(other);
            if (exportTo.isPublic()) {
                publicServices.addAll(services);
            } else {
                byName.add(exportTo.namespaces(), services);
            }
            for (String host : other.hosts()) {
                // Only a host another entry declares as well can be declared in two namespaces.
                boolean shared = index.declaredMoreThanOnce(host);
                if (shared) {
                    sharedHosts.add(host);
                }
                if (shared || hostNamespaces.containsKey(host)) {
                    hostNamespaces.computeIfAbsent(host, h -> new HashSet<>(2)).add(other.namespace());
                }
            }
        }

        /**
         * Entries declaring, in another namespace, a host that a candidate declares: they decide whose it is. Only
         * the candidates taken so far: a rival's own rivals do not take part.
         */
        void addHostRivals() {
            for (String host : List.copyOf(sharedHosts)) {
                addAll(index.declaring(host));
            }
        }

        /**
         * The namespaces to build for: those the entry is exported to by name; or, for a public entry, every
         * namespace some candidate is exported to by name, every namespace that declares a host also declared in
         * another, and {@link #OTHER}.
         */
        Set<String> namespaces(ExportTo mine, Set<String> declaringShared) {
            Set<String> namespaces = new TreeSet<>();
            if (!mine.isPublic()) {
                namespaces.addAll(mine.namespaces());
                return namespaces;
            }
            namespaces.add(OTHER);
            namespaces.addAll(byName.namespaces());
            namespaces.addAll(declaringShared);
            return namespaces;
        }

        /**
         * The namespaces that declare a host another namespace declares too: host selection differs there. Asked
         * once every candidate is in.
         */
        Set<String> declaringSharedHosts() {
            Set<String> declaring = new HashSet<>();
            hostNamespaces.forEach((host, in) -> {
                if (in.size() > 1) {
                    declaring.addAll(in);
                }
            });
            return declaring;
        }

        /** See {@link ExportedByName#alike}: the entry exported to a namespace by name or not tells them apart too. */
        List<List<String>> alike(Set<String> namespaces, Set<String> declaringShared, ExportTo visibility) {
            return byName.alike(namespaces, declaringShared, visibility::exportedByName);
        }

        /**
         * The services {@code namespace} is given by name, in their order, when a build for it may be replayed (see
         * {@link ByNameShape}): not the reviewed entry's, and a namespace not {@link #builtAlone}. Else null.
         */
        List<MeshService> replayable(String namespace, ExportTo visibility, Set<String> builtAlone) {
            if (visibility.exportedByName(namespace) || builtAlone.contains(namespace)) {
                return null;
            }
            List<MeshService> services = new ArrayList<>(2);
            byName.forEach(namespace, services::add);
            services.sort(ServiceOrder.BY_CREATION_TIME);
            return services;
        }

        /**
         * The namespaces that declare a shared host, and those given by name an entry that declares a host another
         * entry or the reviewed one declares. An entry filed in two versions (stored, and reserved in another) needs
         * no such care: a replay exchanges services one by one, and findings are told apart by entry key after.
         */
        Set<String> builtAlone(Set<String> declaringShared) {
            Set<String> alone = new HashSet<>(declaringShared);
            for (String host : hostNamespaces.keySet()) {
                for (ServiceEntryFacts other : index.declaring(host)) {
                    ExportTo exportTo = index.exportTo(other);
                    if (!exportTo.isPublic()) {
                        alone.addAll(exportTo.namespaces());
                    }
                }
            }
            return alone;
        }

        void byNameIn(String namespace, List<ServiceOrder.Ranked> into) {
            byName.forEach(namespace, service -> into.add(new ServiceOrder.Ranked(service, true)));
        }

        void publicRanked(List<ServiceOrder.Ranked> into) {
            for (MeshService service : publicServices) {
                into.add(new ServiceOrder.Ranked(service, false));
            }
        }
    }

    /** Keeps what each namespace's build reports about the reviewed entry, grouped across namespaces. */
    private static final class Collector extends BuildReport {
        private final EntryFindings findings;
        private List<ListenerFindings.Event> told;

        Collector(ServiceEntryFacts entry, int described) {
            this.findings = described == Integer.MAX_VALUE ? new EntryFindings(entry)
                    : new EntryFindings(entry, described, new FindingNumbers());
        }

        @Override
        boolean tells(ServiceEntryFacts other) {
            return other.key().equals(findings.entry().key());
        }

        /** @param told where to keep what this build tells, to be told again (null: nowhere) */
        void begin(List<String> namespaces, Map<MeshService, ServiceOrder.Ranked> rankOf,
                List<ListenerFindings.Event> told) {
            begin(namespaces, rankOf);
            this.told = told;
        }

        List<ListenerFindings.Event> told() {
            return told;
        }

        @Override
        void record(ServiceEntryFacts entry, ListenerFindings.Event event, List<String> namespaces) {
            if (told != null) {
                told.add(event);
            }
            findings.record(event, namespaces);
        }

        /** What another build told, for {@code namespaces}. */
        void retell(ListenerFindings.Event event, List<String> namespaces) {
            findings.record(event, namespaces);
        }

        List<Finding> findings() {
            return findings.findings();
        }
    }
}
