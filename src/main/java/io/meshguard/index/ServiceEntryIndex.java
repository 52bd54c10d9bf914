package io.meshguard.index;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Set;
import io.meshguard.mesh.listener.ExportTo;
import io.meshguard.mesh.listener.ListenerBinding;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.ProxyView;
import io.meshguard.mesh.listener.ServiceConversion;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The ServiceEntries meshguard knows of, filed by (port, bind key, protocol class) and by (port, TLS host).
 *
 * <p>Two sources feed it: confirmed entries (from the informer, or in standalone mode from the reviews
 * meshguard allowed) and reservations. A reservation records an entry this replica has just allowed but
 * the API server has not yet persisted, so that a second colliding entry reviewed a moment later is
 * denied. It lasts until the informer reports the same spec, or until its TTL passes (the API server
 * may still reject the object after the webhooks ran).
 *
 * <p>A review and the reservation it makes run under one lock: two colliding entries reviewed at the same
 * moment cannot both be allowed.
 */
public final class ServiceEntryIndex {

    private record Reservation(ServiceEntryFacts facts, long expiresAtMillis) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier clock;
    private final long reservationTtlMillis;
    private final Map<EntryKey, ServiceEntryFacts> confirmed = new HashMap<>();
    private final Map<EntryKey, Reservation> reservations = new HashMap<>();
    private final Map<ListenerKey, List<Occupant>> byListener = new HashMap<>();
    private final Map<String, List<ServiceEntryFacts>> byHost = new HashMap<>();
    private final Map<ServiceEntryFacts, ExportTo> exportTo = new IdentityHashMap<>();
    private final IndexSnapshot snapshot = new LockedView();
    private MeshConfig mesh = MeshConfig.DEFAULT;
    /** Counts changes to the confirmed entries and the mesh config, for readers that poll for a change. */
    private volatile long version;

    public ServiceEntryIndex(LongSupplier clock, long reservationTtlMillis) {
        this.clock = clock;
        this.reservationTtlMillis = reservationTtlMillis;
    }

    /** Runs {@code work} on a snapshot that no writer changes until it returns. */
    public <T> T atomically(Function<IndexSnapshot, T> work) {
        lock.lock();
        try {
            expireReservations();
            return work.apply(snapshot);
        } finally {
            lock.unlock();
        }
    }

    /** An entry the cluster has persisted (informer add or update, or a preloaded manifest). */
    public void confirm(ServiceEntryFacts facts) {
        locked(() -> {
            version++;
            ServiceEntryFacts before = effective(facts.key());
            confirmed.put(facts.key(), facts);
            Reservation reservation = reservations.get(facts.key());
            if (reservation != null && reservation.facts().sameSpec(facts)) {
                reservations.remove(facts.key());
            }
            refile(before, effective(facts.key()));
        });
    }

    /** An entry that is gone from the cluster (informer delete, or an allowed DELETE review). */
    public void remove(EntryKey key) {
        locked(() -> {
            version++;
            ServiceEntryFacts before = effective(key);
            confirmed.remove(key);
            reservations.remove(key);
            refile(before, null);
        });
    }

    /** An entry this replica allowed and the cluster has not confirmed yet. */
    public void reserve(ServiceEntryFacts facts) {
        locked(() -> {
            ServiceEntryFacts before = effective(facts.key());
            reservations.put(facts.key(), new Reservation(facts, clock.getAsLong() + reservationTtlMillis));
            refile(before, facts);
        });
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
        lock.lock();
        try {
            return mesh;
        } finally {
            lock.unlock();
        }
    }

    /** The entries the cluster holds (reservations left out), as of now: a copy, for a background audit. */
    public List<ServiceEntryFacts> confirmedEntries() {
        lock.lock();
        try {
            return new ArrayList<>(confirmed.values());
        } finally {
            lock.unlock();
        }
    }

    /** Changes whenever the confirmed entries or the mesh config change; cheap to poll. */
    public long version() {
        return version;
    }

    public int size() {
        lock.lock();
        try {
            int reservedOnly = 0;
            for (EntryKey key : reservations.keySet()) {
                if (!confirmed.containsKey(key)) {
                    reservedOnly++;
                }
            }
            return confirmed.size() + reservedOnly;
        } finally {
            lock.unlock();
        }
    }

    public int reservations() {
        lock.lock();
        try {
            return reservations.size();
        } finally {
            lock.unlock();
        }
    }

    private void locked(Runnable change) {
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    private ServiceEntryFacts effective(EntryKey key) {
        Reservation reservation = reservations.get(key);
        return reservation != null ? reservation.facts() : confirmed.get(key);
    }

    private void expireReservations() {
        if (reservations.isEmpty()) {
            return;
        }
        long now = clock.getAsLong();
        Iterator<Map.Entry<EntryKey, Reservation>> it = reservations.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<EntryKey, Reservation> entry = it.next();
            if (entry.getValue().expiresAtMillis() <= now) {
                it.remove();
                refile(entry.getValue().facts(), confirmed.get(entry.getKey()));
            }
        }
    }

    private void rebuild() {
        byListener.clear();
        byHost.clear();
        exportTo.clear();
        confirmed.forEach((key, facts) -> {
            if (!reservations.containsKey(key)) {
                file(facts);
            }
        });
        reservations.values().forEach(r -> file(r.facts()));
    }

    private void refile(ServiceEntryFacts before, ServiceEntryFacts after) {
        if (before != null) {
            unfile(before);
        }
        if (after != null) {
            file(after);
        }
    }

    private void file(ServiceEntryFacts facts) {
        exportTo.put(facts, ExportTo.of(facts, mesh));
        forEachSlot(facts, new SlotAction() {
            @Override
            public <V> void apply(List<V> bucket, V value, ServiceEntryFacts ignored) {
                bucket.add(value);
            }
        }, true);
    }

    private void unfile(ServiceEntryFacts facts) {
        exportTo.remove(facts);
        forEachSlot(facts, new SlotAction() {
            @Override
            public <V> void apply(List<V> bucket, V value, ServiceEntryFacts ignored) {
                bucket.removeIf(v -> v == facts || v instanceof Occupant o && o.entry() == facts);
            }
        }, false);
    }

    private void forEachSlot(ServiceEntryFacts facts, SlotAction action, boolean create) {
        for (String host : facts.hosts()) {
            apply(byHost, host, facts, action, create);
        }
        if (facts.resolution() == Resolution.DYNAMIC_DNS) {
            return;
        }
        ProxyView proxy = ProxyView.of(mesh);
        List<MeshService> services = ServiceConversion.convertServices(facts);
        for (ServicePort port : facts.ports()) {
            Set<ListenerKey> keys = new HashSet<>(2);
            for (MeshService service : services) {
                ListenerBinding binding = ListenerBinding.of(service, port, proxy);
                if (binding != null && keys.add(binding.key())) {
                    apply(byListener, binding.key(), new Occupant(facts, port), action, create);
                }
            }
        }
    }

    private interface SlotAction {
        <V> void apply(List<V> bucket, V value, ServiceEntryFacts facts);
    }

    private static <K, V> void apply(Map<K, List<V>> buckets, K key, V value, SlotAction action, boolean create) {
        List<V> bucket = create ? buckets.computeIfAbsent(key, k -> new ArrayList<>(1)) : buckets.get(key);
        if (bucket == null) {
            return;
        }
        action.apply(bucket, value, null);
        if (bucket.isEmpty()) {
            buckets.remove(key);
        }
    }

    private final class LockedView implements IndexSnapshot {

        @Override
        public MeshConfig mesh() {
            return mesh;
        }

        @Override
        public Collection<Occupant> onListener(ListenerKey key) {
            return byListener.getOrDefault(key, List.of());
        }

        @Override
        public Collection<ServiceEntryFacts> declaring(String host) {
            return byHost.getOrDefault(host, List.of());
        }

        @Override
        public ExportTo exportTo(ServiceEntryFacts entry) {
            ExportTo known = exportTo.get(entry);
            return known != null ? known : ExportTo.of(entry, mesh);
        }
    }
}
