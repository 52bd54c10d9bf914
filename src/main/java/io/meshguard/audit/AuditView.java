package io.meshguard.audit;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.index.Occupant;
import io.meshguard.mesh.BindKey;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ProtocolClass;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.Visibility;
import java.util.AbstractCollection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The index as the audit shows it to the engine while it reviews one stored entry (the focus):
 * <ul>
 * <li>without the entry itself: an entry never collides with itself;</li>
 * <li>without the occupants no namespace sees together with the focus. The rules would find each such pair exempt
 *     (two services meet only where one namespace sees both), so leaving them out changes no finding; it keeps the
 *     audit of a whole cluster from costing the square of a busy listener's size (thousands of entries exported
 *     to their own namespace only, on one port).</li>
 * </ul>
 * A bucket is grouped by visibility the first time a review asks for it; the index does not change during an audit.
 */
final class AuditView implements IndexSnapshot {

    /** Buckets up to this size are only stripped of the focus: grouping them costs more than it saves. */
    static final int GROUP_FROM = 32;

    private final IndexSnapshot index;
    private final boolean narrow;
    private final Map<Collection<Occupant>, Grouped> grouped = new IdentityHashMap<>();
    private ServiceEntryFacts focus;
    private Visibility focusVisibility;

    /** @param narrow false: only the focus is left out (the reference the narrowing is tested against) */
    AuditView(IndexSnapshot index, boolean narrow) {
        this.index = index;
        this.narrow = narrow;
    }

    void focus(ServiceEntryFacts entry) {
        this.focus = entry;
        this.focusVisibility = entry.visibility(index.mesh());
    }

    @Override
    public MeshConfig mesh() {
        return index.mesh();
    }

    @Override
    public Collection<Occupant> onListener(int port, BindKey key, ProtocolClass protocolClass) {
        return narrowed(index.onListener(port, key, protocolClass));
    }

    @Override
    public Collection<Occupant> tlsWithHost(int port, String host) {
        return narrowed(index.tlsWithHost(port, host));
    }

    private Collection<Occupant> narrowed(Collection<Occupant> bucket) {
        if (bucket.isEmpty()) {
            return bucket;
        }
        if (!narrow || bucket.size() < GROUP_FROM || focusVisibility.everywhere()) {
            return new Without(bucket, focus.key());
        }
        if (focusVisibility.isHidden()) {
            return List.of();
        }
        Grouped groups = grouped.computeIfAbsent(bucket, b -> new Grouped(b, index.mesh()));
        List<List<Occupant>> sources = new ArrayList<>(focusVisibility.specific().size() + 1);
        if (!groups.everywhere.isEmpty()) {
            sources.add(groups.everywhere);
        }
        for (String namespace : focusVisibility.specific()) {
            List<Occupant> there = groups.byNamespace.get(namespace);
            if (there != null) {
                sources.add(there);
            }
        }
        if (sources.isEmpty()) {
            return List.of();
        }
        if (sources.size() == 1) {
            return new Without(sources.get(0), focus.key());
        }
        // Several groups: the occupants in the bucket's own order, each once.
        java.util.BitSet positions = new java.util.BitSet(groups.size);
        for (List<Occupant> source : sources) {
            for (Occupant occupant : source) {
                positions.set(groups.position.get(occupant));
            }
        }
        List<Occupant> merged = new ArrayList<>(positions.cardinality());
        for (int i = positions.nextSetBit(0); i >= 0; i = positions.nextSetBit(i + 1)) {
            merged.add(groups.ordered.get(i));
        }
        return new Without(merged, focus.key());
    }

    /** A bucket's occupants by who can see them: everywhere, or by the namespaces they are exported to by name. */
    private static final class Grouped {
        final List<Occupant> ordered;
        final int size;
        final List<Occupant> everywhere = new ArrayList<>();
        final Map<String, List<Occupant>> byNamespace = new HashMap<>();
        final Map<Occupant, Integer> position = new IdentityHashMap<>();

        Grouped(Collection<Occupant> bucket, MeshConfig mesh) {
            ordered = new ArrayList<>(bucket);
            size = ordered.size();
            for (int i = 0; i < size; i++) {
                Occupant occupant = ordered.get(i);
                position.put(occupant, i);
                Visibility visibility = occupant.entry().visibility(mesh);
                if (visibility.everywhere()) {
                    everywhere.add(occupant);
                } else {
                    for (String namespace : visibility.specific()) {
                        byNamespace.computeIfAbsent(namespace, n -> new ArrayList<>(2)).add(occupant);
                    }
                }
            }
        }
    }

    /** A collection without the occupants of one entry, filtered as it is iterated. */
    private static final class Without extends AbstractCollection<Occupant> {
        private final Collection<Occupant> all;
        private final EntryKey left;

        Without(Collection<Occupant> all, EntryKey left) {
            this.all = all;
            this.left = left;
        }

        @Override
        public Iterator<Occupant> iterator() {
            Iterator<Occupant> it = all.iterator();
            return new Iterator<>() {
                private Occupant next = advance();

                private Occupant advance() {
                    while (it.hasNext()) {
                        Occupant candidate = it.next();
                        if (!candidate.entry().key().equals(left)) {
                            return candidate;
                        }
                    }
                    return null;
                }

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Occupant next() {
                    if (next == null) {
                        throw new NoSuchElementException();
                    }
                    Occupant current = next;
                    next = advance();
                    return current;
                }
            };
        }

        @Override
        public int size() {
            int count = 0;
            for (Occupant occupant : all) {
                if (!occupant.entry().key().equals(left)) {
                    count++;
                }
            }
            return count;
        }

        @Override
        public boolean isEmpty() {
            return !iterator().hasNext();
        }
    }
}
