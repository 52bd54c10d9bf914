package io.meshguard.index;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayName;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.HostNames;
import io.meshguard.mesh.gateway.VirtualServiceView;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The Gateways and VirtualServices meshguard knows of. Gateways are filed by (selector, port), so a review
 * reads only the gateway workloads its selector reaches and the ports its servers name; VirtualServices by the
 * Gateway each binds to and, for those bound to {@code mesh}, by host.
 *
 * <p>Gateways come confirmed (informer, preload, or standalone learning) or reserved: a Gateway this replica has
 * just allowed but the cluster has not confirmed yet is held for a TTL, so that a second conflicting Gateway
 * reviewed a moment later is denied. A review and its reservation run under one lock. VirtualServices are only
 * ever warned about, so they are recorded once allowed and need no reservation.
 */
public final class GatewayIndex {

    private record Reservation(GatewayView gateway, long expiresAtMillis) {
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final LongSupplier clock;
    private final long reservationTtlMillis;
    private final Map<EntryKey, GatewayView> confirmed = new HashMap<>();
    private final Map<EntryKey, Reservation> reservations = new HashMap<>();
    private final Map<Map<String, String>, Map<Integer, List<GatewayView>>> bySelector = new HashMap<>();
    private final Map<EntryKey, VirtualServiceView> virtualServices = new HashMap<>();
    private final Map<EntryKey, List<VirtualServiceView>> byGateway = new HashMap<>();
    private final Map<String, List<VirtualServiceView>> meshByHost = new HashMap<>();
    private final Set<VirtualServiceView> meshWildcard = new LinkedHashSet<>();
    private final Set<VirtualServiceView> mesh = new LinkedHashSet<>();
    private final GatewaySnapshot snapshot = new LockedView();
    /** Counts confirmed changes (not reservations), so the audit can tell when a new run is due. */
    private volatile long version;

    public GatewayIndex(LongSupplier clock, long reservationTtlMillis) {
        this.clock = clock;
        this.reservationTtlMillis = reservationTtlMillis;
    }

    /** Runs {@code work} on a snapshot that no writer changes until it returns. */
    public <T> T atomically(Function<GatewaySnapshot, T> work) {
        lock.lock();
        try {
            expireReservations();
            return work.apply(snapshot);
        } finally {
            lock.unlock();
        }
    }

    /** A Gateway the cluster has persisted. */
    public void confirm(GatewayView gateway) {
        locked(() -> {
            GatewayView before = effective(gateway.key());
            confirmed.put(gateway.key(), gateway);
            version++;
            Reservation reservation = reservations.get(gateway.key());
            if (reservation != null && reservation.gateway().sameSpec(gateway)) {
                reservations.remove(gateway.key());
            }
            refile(before, effective(gateway.key()));
        });
    }

    /** A Gateway this replica allowed and the cluster has not confirmed yet. */
    public void reserve(GatewayView gateway) {
        locked(() -> {
            GatewayView before = effective(gateway.key());
            reservations.put(gateway.key(), new Reservation(gateway, clock.getAsLong() + reservationTtlMillis));
            refile(before, gateway);
        });
    }

    public void removeGateway(EntryKey key) {
        locked(() -> {
            GatewayView before = effective(key);
            if (confirmed.remove(key) != null) {
                version++;
            }
            reservations.remove(key);
            refile(before, null);
        });
    }

    /** Replaces every confirmed Gateway, as an informer resync does; reservations survive. */
    public void replaceGateways(Collection<GatewayView> gateways) {
        locked(() -> {
            confirmed.clear();
            gateways.forEach(g -> confirmed.put(g.key(), g));
            version++;
            bySelector.clear();
            confirmed.forEach((key, g) -> {
                if (!reservations.containsKey(key)) {
                    file(g);
                }
            });
            reservations.values().forEach(r -> file(r.gateway()));
        });
    }

    /** A VirtualService persisted or allowed. */
    public void putVirtualService(VirtualServiceView virtualService) {
        locked(() -> {
            VirtualServiceView before = virtualServices.put(virtualService.key(), virtualService);
            version++;
            if (before != null) {
                unfile(before);
            }
            file(virtualService);
        });
    }

    public void removeVirtualService(EntryKey key) {
        locked(() -> {
            VirtualServiceView before = virtualServices.remove(key);
            if (before != null) {
                version++;
                unfile(before);
            }
        });
    }

    /** Grows with every change to the confirmed Gateways and the VirtualServices; reservations do not count. */
    public long version() {
        return version;
    }

    /** The Gateways the cluster has persisted (reservations left out), a copy. */
    public List<GatewayView> confirmedGateways() {
        lock.lock();
        try {
            return List.copyOf(confirmed.values());
        } finally {
            lock.unlock();
        }
    }

    /** Every VirtualService known, a copy. */
    public List<VirtualServiceView> allVirtualServices() {
        lock.lock();
        try {
            return List.copyOf(virtualServices.values());
        } finally {
            lock.unlock();
        }
    }

    public int gateways() {
        lock.lock();
        try {
            Set<EntryKey> keys = new java.util.HashSet<>(confirmed.keySet());
            keys.addAll(reservations.keySet());
            return keys.size();
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

    public int virtualServices() {
        lock.lock();
        try {
            return virtualServices.size();
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

    private GatewayView effective(EntryKey key) {
        Reservation reservation = reservations.get(key);
        return reservation != null ? reservation.gateway() : confirmed.get(key);
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
                refile(entry.getValue().gateway(), confirmed.get(entry.getKey()));
            }
        }
    }

    private void refile(GatewayView before, GatewayView after) {
        if (before != null) {
            unfile(before);
        }
        if (after != null) {
            file(after);
        }
    }

    private void file(GatewayView gateway) {
        Map<Integer, List<GatewayView>> ports = bySelector.computeIfAbsent(gateway.selector(), s -> new HashMap<>());
        for (int port : gateway.ports()) {
            ports.computeIfAbsent(port, p -> new ArrayList<>(2)).add(gateway);
        }
    }

    private void unfile(GatewayView gateway) {
        Map<Integer, List<GatewayView>> ports = bySelector.get(gateway.selector());
        if (ports == null) {
            return;
        }
        for (int port : gateway.ports()) {
            List<GatewayView> bucket = ports.get(port);
            if (bucket != null) {
                bucket.removeIf(g -> g == gateway);
                if (bucket.isEmpty()) {
                    ports.remove(port);
                }
            }
        }
        if (ports.isEmpty() && noGatewayWithSelector(gateway.selector(), gateway)) {
            bySelector.remove(gateway.selector());
        }
    }

    /** A Gateway without servers on any port still makes its selector known; keep the entry while one exists. */
    private boolean noGatewayWithSelector(Map<String, String> selector, GatewayView leaving) {
        for (GatewayView g : confirmed.values()) {
            if (g != leaving && g.selector().equals(selector)) {
                return false;
            }
        }
        for (Reservation r : reservations.values()) {
            if (r.gateway() != leaving && r.gateway().selector().equals(selector)) {
                return false;
            }
        }
        return true;
    }

    private void file(VirtualServiceView vs) {
        for (EntryKey gateway : boundGateways(vs)) {
            byGateway.computeIfAbsent(gateway, g -> new ArrayList<>(2)).add(vs);
        }
        if (vs.boundToMesh()) {
            mesh.add(vs);
            for (String host : meshHosts(vs)) {
                meshByHost.computeIfAbsent(host, h -> new ArrayList<>(1)).add(vs);
                if (HostNames.wildcard(host)) {
                    meshWildcard.add(vs);
                }
            }
        }
    }

    private void unfile(VirtualServiceView vs) {
        for (EntryKey gateway : boundGateways(vs)) {
            List<VirtualServiceView> bucket = byGateway.get(gateway);
            if (bucket != null) {
                bucket.removeIf(v -> v == vs);
                if (bucket.isEmpty()) {
                    byGateway.remove(gateway);
                }
            }
        }
        mesh.remove(vs);
        meshWildcard.remove(vs);
        for (String host : meshHosts(vs)) {
            List<VirtualServiceView> bucket = meshByHost.get(host);
            if (bucket != null) {
                bucket.removeIf(v -> v == vs);
                if (bucket.isEmpty()) {
                    meshByHost.remove(host);
                }
            }
        }
    }

    private static Set<EntryKey> boundGateways(VirtualServiceView vs) {
        Set<EntryKey> keys = new LinkedHashSet<>();
        for (String reference : vs.gateways()) {
            EntryKey key = GatewayName.resolve(reference, vs.namespace());
            if (key != null) {
                keys.add(key);
            }
        }
        return keys;
    }

    private static Set<String> meshHosts(VirtualServiceView vs) {
        Set<String> hosts = new LinkedHashSet<>();
        vs.hosts().forEach(h -> hosts.add(HostNames.qualified(h, vs.namespace())));
        return hosts;
    }

    private final class LockedView implements GatewaySnapshot {

        @Override
        public Collection<Map<String, String>> selectors() {
            return bySelector.keySet();
        }

        @Override
        public Collection<GatewayView> onPort(Map<String, String> selector, int port) {
            Map<Integer, List<GatewayView>> ports = bySelector.get(selector);
            return ports == null ? List.of() : ports.getOrDefault(port, List.of());
        }

        @Override
        public GatewayView gateway(EntryKey key) {
            return effective(key);
        }

        @Override
        public Collection<VirtualServiceView> boundTo(EntryKey gateway) {
            return byGateway.getOrDefault(gateway, List.of());
        }

        @Override
        public Collection<VirtualServiceView> onMeshWithHost(String qualifiedHost) {
            return meshByHost.getOrDefault(qualifiedHost, List.of());
        }

        @Override
        public Collection<VirtualServiceView> onMeshWithWildcardHost() {
            return meshWildcard;
        }

        @Override
        public Collection<VirtualServiceView> onMesh() {
            return mesh;
        }
    }
}
