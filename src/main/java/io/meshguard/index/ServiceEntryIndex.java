package io.meshguard.index;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ChainConflict;
import io.meshguard.mesh.listener.ExportTo;
import io.meshguard.mesh.listener.ListenerFootprint;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.ProxyView;
import io.meshguard.mesh.listener.ServiceConversion;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The ServiceEntries meshguard knows of, filed by istiod's listener key ({@code <address>_<port>}) and by host.
 * On each listener key the entries seen everywhere are kept apart from those exported to namespaces by name (per
 * namespace): a review of an entry seen only in some namespaces visits only the entries those namespaces see.
 *
 * <p>Two sources feed it: confirmed entries (from the informer, or in standalone mode from the reviews meshguard
 * allowed) and reservations. A reservation records an entry this replica has just allowed but the API server has
 * not yet persisted, so that a second colliding entry reviewed a moment later is denied. It lasts until the
 * informer reports the same spec, or until its TTL passes. A reservation only adds: the confirmed version of the
 * same object stays in force beside it, because the API server may still refuse the write (a CREATE of a name that
 * exists, a conflict, a later webhook), and then the stored object is what istiod serves.
 *
 * <p>Reviews read the index side by side; a change waits for the reviews in progress. {@link #admit} records an
 * allowed entry only if nothing was filed or unfiled since its review read the index, and reviews it again under
 * the write lock otherwise: two colliding entries reviewed at the same moment cannot both be allowed.
 */
public final class ServiceEntryIndex {

    /** What {@link #admit} records of an allowed entry. */
    public enum Recording {
        /** In a cluster: reserve it beside the stored version until the informer reports it or the TTL passes. */
        RESERVE,
        /** Standalone: the reviews are the only source of truth; it is confirmed at once. */
        LEARN,
        /** A dry run: nothing. */
        NOTHING
    }

    private record Reservation(ServiceEntryFacts facts, long expiresAtMillis) {
    }

    /**
     * The occupants of one listener key: those seen everywhere, and per namespace those exported there by name;
     * how many serve each listener protocol; and, once there are more than a few, the occupants by chain match.
     */
    private static final class Bucket {
        static final int INDEX_MATCHES_ABOVE = 8;

        final SeenEverywhere everywhere = new SeenEverywhere();
        Map<String, List<Occupant>> byNamespace;
        /** Each occupant of {@link #byNamespace} once, in the order they were filed. */
        List<Occupant> byName;
        CompactMultimap<ChainConflict.Match, Occupant> byMatch;
        int size;
        int http;
        int tcp;
        int auto;
        int beyondMatch;

        List<Occupant> in(String namespace) {
            return byNamespace == null ? null : byNamespace.get(namespace);
        }

        void count(Occupant occupant, int delta) {
            switch (occupant.port().istioProtocol().listenerProtocol()) {
                case HTTP -> http += delta;
                case TCP -> tcp += delta;
                case AUTO -> auto += delta;
                default -> {
                }
            }
            if (occupant.beyondMatch()) {
                beyondMatch += delta;
            }
        }

        void fileMatches(Occupant occupant) {
            for (ChainConflict.Match match : occupant.matches()) {
                byMatch.put(match, occupant);
            }
        }

        /** {@code occupant} is computed again from the same entry: the one filed is found by its entry. */
        void unfileMatches(Occupant occupant) {
            for (ChainConflict.Match match : occupant.matches()) {
                for (Occupant filed : byMatch.get(match)) {
                    if (filed.entry() == occupant.entry()) {
                        byMatch.remove(match, filed);
                        break;
                    }
                }
            }
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock read = lock.readLock();
    private final Lock write = lock.writeLock();
    /**
     * How many reviews read at once. A review of a large index allocates megabytes while it runs; one per request
     * in flight (sixteen, say) would crowd the index's heap into back-to-back full collections that stop them all.
     * Beyond the cores there is no CPU to gain; the waiting reviews are taken in their order of arrival.
     */
    private final Semaphore readers;
    private final LongSupplier clock;
    private final long reservationTtlMillis;
    private final Map<EntryKey, ServiceEntryFacts> confirmed = new HashMap<>();
    private final Map<EntryKey, Reservation> reservations = new HashMap<>();
    private final Map<ListenerKey, Bucket> byListener = new HashMap<>();
    private final CompactMultimap<String, ServiceEntryFacts> byHost = new CompactMultimap<>();
    private final Map<ServiceEntryFacts, ExportTo> exportTo = new IdentityHashMap<>();
    private final IndexSnapshot snapshot = new LockedView();
    private MeshConfig mesh = MeshConfig.DEFAULT;
    /** Counts changes to the confirmed entries and the mesh config, for readers that poll for a change. */
    private volatile long version;
    /** Counts every change a review can read, reservations included: {@link #admit} compares it before recording. */
    private long filings;

    public ServiceEntryIndex(LongSupplier clock, long reservationTtlMillis) {
        this(clock, reservationTtlMillis, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** @param readers how many reviews may read at once */
    ServiceEntryIndex(LongSupplier clock, long reservationTtlMillis, int readers) {
        this.clock = clock;
        this.reservationTtlMillis = reservationTtlMillis;
        this.readers = new Semaphore(readers, true);
    }

    /** Runs {@code work} on a snapshot that no writer changes until it returns; other readers may run beside it. */
    public <T> T atomically(Function<IndexSnapshot, T> work) {
        expireDueReservations();
        readers.acquireUninterruptibly();
        read.lock();
        try {
            return work.apply(snapshot);
        } finally {
            read.unlock();
            readers.release();
        }
    }

    /**
     * Check and reserve in one step: runs {@code review} on a snapshot, and when {@code allowed} says the result
     * allows {@code entry}, records it as {@code recording} says, before any review that could meet it can read the
     * index. The review runs under the read lock, beside other reviews; when something changed before the write
     * lock was taken, it runs again under the write lock, and that result is the one recorded and returned.
     */
    public <T> T admit(ServiceEntryFacts entry, Function<IndexSnapshot, T> review, Predicate<T> allowed,
            Recording recording) {
        if (recording == Recording.NOTHING) {
            return atomically(review);
        }
        expireDueReservations();
        long seen;
        T result;
        boolean alreadyFiled;
        readers.acquireUninterruptibly();
        read.lock();
        try {
            seen = filings;
            result = review.apply(snapshot);
            alreadyFiled = alreadyFiled(entry);
        } finally {
            read.unlock();
            readers.release();
        }
        // An edit of a label or an annotation changes no fact: recording it would change nothing, and taking the
        // write lock for it would make every review behind it wait for the longest review in progress.
        if (alreadyFiled || !allowed.test(result)) {
            return result;
        }
        write.lock();
        try {
            expireReservations();
            if (filings != seen) {
                result = review.apply(snapshot);
                if (!allowed.test(result)) {
                    return result;
                }
            }
            if (recording == Recording.RESERVE) {
                reserveLocked(entry);
            } else {
                confirmLocked(entry);
            }
            return result;
        } finally {
            write.unlock();
        }
    }

    /** The same facts are stored under the entry's key, and no other version of it is reserved. */
    private boolean alreadyFiled(ServiceEntryFacts facts) {
        return facts.equals(confirmed.get(facts.key())) && !reservations.containsKey(facts.key());
    }

    /** An entry the cluster has persisted (informer add or update, or a preloaded manifest). */
    public void confirm(ServiceEntryFacts facts) {
        locked(() -> confirmLocked(facts));
    }

    private void confirmLocked(ServiceEntryFacts facts) {
        Reservation pending = reservations.get(facts.key());
        if (facts.equals(confirmed.get(facts.key())) && (pending == null || !pending.facts().sameSpec(facts))) {
            // Another label, a condition, a resync: nothing a rule reads has changed, so nothing (the audit) is due.
            return;
        }
        version++;
        ServiceEntryFacts before = confirmed.put(facts.key(), facts);
        if (before != null) {
            unfile(before);
        }
        file(facts);
        if (pending != null && pending.facts().sameSpec(facts)) {
            reservations.remove(facts.key());
            unfile(pending.facts());
        }
    }

    /** An entry that is gone from the cluster (informer delete, or an allowed DELETE review). */
    public void remove(EntryKey key) {
        locked(() -> {
            version++;
            ServiceEntryFacts before = confirmed.remove(key);
            if (before != null) {
                unfile(before);
            }
            Reservation reservation = reservations.remove(key);
            if (reservation != null) {
                unfile(reservation.facts());
            }
        });
    }

    /** An entry this replica allowed and the cluster has not confirmed yet; the confirmed version stays in force. */
    public void reserve(ServiceEntryFacts facts) {
        locked(() -> reserveLocked(facts));
    }

    private void reserveLocked(ServiceEntryFacts facts) {
        Reservation before = reservations.put(facts.key(),
                new Reservation(facts, clock.getAsLong() + reservationTtlMillis));
        if (before != null) {
            unfile(before.facts());
        }
        file(facts);
    }

    /** Replaces the whole confirmed set, as an informer resync does; reservations survive. */
    public void replaceAll(Collection<ServiceEntryFacts> entries) {
        locked(() -> {
            version++;
            confirmed.clear();
            entries.forEach(e -> confirmed.put(e.key(), e));
            rebuild();
        });
    }

    public void setMesh(MeshConfig newMesh) {
        locked(() -> {
            if (!newMesh.equals(mesh)) {
                version++;
                mesh = newMesh;
                rebuild();
            }
        });
    }

    public MeshConfig mesh() {
        read.lock();
        try {
            return mesh;
        } finally {
            read.unlock();
        }
    }

    /**
     * The entries the cluster holds (reservations left out), who sees each as the index files them, and the mesh
     * config that decided it, read together: a copy for a background audit, which shares the index's exportTo sets
     * rather than making its own.
     */
    public record Stored(List<ServiceEntryFacts> entries, Map<ServiceEntryFacts, ExportTo> visibility,
            MeshConfig mesh) {

        /** Entries read from elsewhere than an index (manifests, fixtures), each seen as {@code mesh} decides. */
        public static Stored of(Collection<ServiceEntryFacts> entries, MeshConfig mesh) {
            Map<ServiceEntryFacts, ExportTo> visibility = new IdentityHashMap<>(entries.size() * 2);
            entries.forEach(entry -> visibility.put(entry, ExportTo.of(entry, mesh)));
            return new Stored(List.copyOf(entries), Collections.unmodifiableMap(visibility), mesh);
        }
    }

    /** As of now: see {@link Stored}. */
    public Stored stored() {
        read.lock();
        try {
            List<ServiceEntryFacts> entries = new ArrayList<>(confirmed.values());
            Map<ServiceEntryFacts, ExportTo> visibility = new IdentityHashMap<>(entries.size() * 2);
            for (ServiceEntryFacts entry : entries) {
                ExportTo known = exportTo.get(entry);
                visibility.put(entry, known != null ? known : ExportTo.of(entry, mesh));
            }
            return new Stored(entries, Collections.unmodifiableMap(visibility), mesh);
        } finally {
            read.unlock();
        }
    }

    /** Changes whenever the confirmed entries or the mesh config change; cheap to poll. */
    public long version() {
        return version;
    }

    public int size() {
        read.lock();
        try {
            int reservedOnly = 0;
            for (EntryKey key : reservations.keySet()) {
                if (!confirmed.containsKey(key)) {
                    reservedOnly++;
                }
            }
            return confirmed.size() + reservedOnly;
        } finally {
            read.unlock();
        }
    }

    public int reservations() {
        read.lock();
        try {
            return reservations.size();
        } finally {
            read.unlock();
        }
    }

    private void locked(Runnable change) {
        write.lock();
        try {
            change.run();
        } finally {
            write.unlock();
        }
    }

    /** Expires the reservations whose TTL has passed, taking the write lock only when there are any. */
    private void expireDueReservations() {
        long now = clock.getAsLong();
        read.lock();
        try {
            boolean due = false;
            for (Reservation reservation : reservations.values()) {
                if (reservation.expiresAtMillis() <= now) {
                    due = true;
                    break;
                }
            }
            if (!due) {
                return;
            }
        } finally {
            read.unlock();
        }
        locked(this::expireReservations);
    }

    private void expireReservations() {
        if (reservations.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        Iterator<Map.Entry<EntryKey, Reservation>> it = reservations.entrySet().iterator();
        while (it.hasNext()) {
            Reservation reservation = it.next().getValue();
            if (reservation.expiresAtMillis() <= now) {
                it.remove();
                unfile(reservation.facts());
            }
        }
    }

    private void rebuild() {
        filings++;
        byListener.clear();
        byHost.clear();
        exportTo.clear();
        confirmed.values().forEach(this::file);
        reservations.values().forEach(r -> file(r.facts()));
    }

    private void file(ServiceEntryFacts facts) {
        if (exportTo.containsKey(facts)) {
            return; // the same object filed twice (confirmed and reserved as one): once is enough
        }
        filings++;
        ExportTo visibility = ExportTo.of(facts, mesh);
        exportTo.put(facts, visibility);
        for (String host : facts.hosts()) {
            byHost.put(host, facts);
        }
        forEachListener(facts, visibility, (key, occupant) -> {
            if (visibility.isHidden()) {
                return;
            }
            Bucket bucket = byListener.computeIfAbsent(key, k -> new Bucket());
            bucket.size++;
            bucket.count(occupant, 1);
            if (bucket.byMatch != null) {
                bucket.fileMatches(occupant);
            }
            if (visibility.isPublic()) {
                bucket.everywhere.add(occupant);
            } else {
                if (bucket.byNamespace == null) {
                    bucket.byNamespace = new HashMap<>(2);
                    bucket.byName = new ArrayList<>(1);
                }
                bucket.byName.add(occupant);
                for (String namespace : visibility.namespaces()) {
                    bucket.byNamespace.computeIfAbsent(namespace, n -> new ArrayList<>(1)).add(occupant);
                }
            }
            if (bucket.byMatch == null && bucket.size > Bucket.INDEX_MATCHES_ABOVE) {
                bucket.byMatch = new CompactMultimap<>();
                allOn(bucket).forEach(bucket::fileMatches);
            }
        });
    }

    private void unfile(ServiceEntryFacts facts) {
        ExportTo visibility = exportTo.remove(facts);
        if (visibility == null) {
            return;
        }
        filings++;
        if (isFiledElsewhere(facts)) {
            exportTo.put(facts, ExportTo.of(facts, mesh));
            return;
        }
        for (String host : facts.hosts()) {
            byHost.remove(host, facts);
        }
        forEachListener(facts, visibility, (key, occupant) -> {
            Bucket bucket = byListener.get(key);
            if (bucket == null) {
                return;
            }
            // Filed where its visibility put it: only those lists are looked through.
            boolean removed;
            if (visibility.isPublic()) {
                removed = bucket.everywhere.remove(occupant);
            } else {
                removed = bucket.byName != null && bucket.byName.removeIf(o -> o.entry() == facts);
                if (removed) {
                    for (String namespace : visibility.namespaces()) {
                        List<Occupant> list = bucket.byNamespace.get(namespace);
                        if (list != null && list.removeIf(o -> o.entry() == facts) && list.isEmpty()) {
                            bucket.byNamespace.remove(namespace);
                        }
                    }
                }
            }
            if (removed) {
                bucket.size--;
                bucket.count(occupant, -1);
                if (bucket.byMatch != null) {
                    bucket.unfileMatches(occupant);
                }
            }
            if (bucket.everywhere.isEmpty() && (bucket.byNamespace == null || bucket.byNamespace.isEmpty())) {
                byListener.remove(key);
            }
        });
    }

    /** The same object can be both the confirmed version and the reservation (standalone learning). */
    private boolean isFiledElsewhere(ServiceEntryFacts facts) {
        ServiceEntryFacts stored = confirmed.get(facts.key());
        Reservation reservation = reservations.get(facts.key());
        return stored == facts || (reservation != null && reservation.facts() == facts);
    }

    private interface ListenerAction {
        void apply(ListenerKey key, Occupant occupant);
    }

    /** Each (listener key, port) the entry's services bind, once, with the matches of their chains there. */
    private void forEachListener(ServiceEntryFacts facts, ExportTo visibility, ListenerAction action) {
        if (facts.resolution() == Resolution.DYNAMIC_DNS) {
            return;
        }
        ProxyView proxy = ProxyView.of(mesh);
        List<MeshService> services = ServiceConversion.convertServices(facts);
        for (ServicePort port : facts.ports()) {
            Map<ListenerKey, List<ListenerFootprint>> byKey = new LinkedHashMap<>(2);
            for (MeshService service : services) {
                ListenerFootprint footprint = ListenerFootprint.of(service, port, proxy);
                if (footprint != null) {
                    byKey.computeIfAbsent(footprint.key(), k -> new ArrayList<>(1)).add(footprint);
                }
            }
            byKey.forEach((key, footprints) -> {
                List<ChainConflict.Match> matches = new ArrayList<>(footprints.size());
                boolean beyond = false;
                for (ListenerFootprint footprint : footprints) {
                    if (footprint.tcpMatch() != null && !matches.contains(footprint.tcpMatch())) {
                        matches.add(footprint.tcpMatch());
                    }
                    beyond |= footprint.beyondMatch();
                }
                action.apply(key, new Occupant(facts, visibility, port, compact(matches), beyond));
            });
        }
    }

    private static final List<ChainConflict.Match> MATCH_ALL_ONLY = List.of(ChainConflict.MATCH_ALL);

    /** The catch-all alone is the match of every addressed TCP entry: one list for all of them. */
    private static List<ChainConflict.Match> compact(List<ChainConflict.Match> matches) {
        return matches.equals(MATCH_ALL_ONLY) ? MATCH_ALL_ONLY : List.copyOf(matches);
    }

    /** Every occupant of the bucket once. */
    private static List<Occupant> allOn(Bucket bucket) {
        if (bucket.byName == null || bucket.byName.isEmpty()) {
            return bucket.everywhere.all();
        }
        List<Occupant> all = new ArrayList<>(bucket.size);
        all.addAll(bucket.everywhere.all());
        all.addAll(bucket.byName);
        return all;
    }

    private final class LockedView implements IndexSnapshot {

        @Override
        public MeshConfig mesh() {
            return mesh;
        }

        @Override
        public SeenEverywhere seenEverywhere(ListenerKey key) {
            Bucket bucket = byListener.get(key);
            return bucket == null ? SeenEverywhere.NONE : bucket.everywhere;
        }

        @Override
        public Collection<Occupant> exportedByName(ListenerKey key, Set<String> namespaces) {
            Bucket bucket = byListener.get(key);
            if (bucket == null || bucket.byNamespace == null || bucket.byNamespace.isEmpty()) {
                return List.of();
            }
            if (namespaces == null) {
                return Collections.unmodifiableList(bucket.byName);
            }
            Set<Occupant> named = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            List<Occupant> inOrder = new ArrayList<>();
            bucket.byNamespace.forEach((namespace, list) -> {
                if (namespaces == null || namespaces.contains(namespace)) {
                    for (Occupant occupant : list) {
                        if (named.add(occupant)) {
                            inOrder.add(occupant);
                        }
                    }
                }
            });
            return inOrder;
        }

        @Override
        public Collection<Occupant> onListener(ListenerKey key, ChainConflict.Match match) {
            Bucket bucket = byListener.get(key);
            if (bucket == null) {
                return List.of();
            }
            if (bucket.byMatch != null) {
                return bucket.byMatch.get(match);
            }
            List<Occupant> matching = new ArrayList<>(1);
            for (Occupant occupant : allOn(bucket)) {
                if (occupant.matches().contains(match)) {
                    matching.add(occupant);
                }
            }
            return matching;
        }

        @Override
        public ListenerMix mix(ListenerKey key) {
            Bucket bucket = byListener.get(key);
            return bucket == null ? ListenerMix.EMPTY
                    : new ListenerMix(bucket.http, bucket.tcp, bucket.auto, bucket.beyondMatch);
        }

        @Override
        public Collection<ServiceEntryFacts> declaring(String host) {
            return byHost.get(host);
        }

        @Override
        public boolean declaredMoreThanOnce(String host) {
            return byHost.isShared(host);
        }

        @Override
        public ExportTo exportTo(ServiceEntryFacts entry) {
            ExportTo known = exportTo.get(entry);
            return known != null ? known : ExportTo.of(entry, mesh);
        }
    }
}
