package io.meshguard.index;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A multimap for keys that nearly always hold one value (a host, a chain match): the value itself is stored until
 * a second one comes, which saves a list per key when the index holds 100,000 entries. Values are compared by
 * identity.
 */
final class CompactMultimap<K, V> {

    private final Map<K, Object> values = new HashMap<>();
    /** The keys that hold more than one value: few, so asking of one is cheap where {@link #get} misses the cache. */
    private final Set<K> shared = new HashSet<>();

    void put(K key, V value) {
        values.merge(key, value, (before, added) -> {
            shared.add(key);
            if (before instanceof ManyValues many) {
                many.add(value);
                return many;
            }
            ManyValues many = new ManyValues(2);
            many.add(before);
            many.add(value);
            return many;
        });
    }

    void remove(K key, V value) {
        Object held = values.get(key);
        if (held == value) {
            values.remove(key);
        } else if (held instanceof ManyValues many) {
            many.removeIf(v -> v == value);
            if (many.size() == 1) {
                values.put(key, many.get(0));
                shared.remove(key);
            } else if (many.isEmpty()) {
                values.remove(key);
                shared.remove(key);
            }
        }
    }

    /** Whether {@code key} holds more than one value. */
    boolean isShared(K key) {
        return shared.contains(key);
    }

    @SuppressWarnings("unchecked")
    List<V> get(K key) {
        Object held = values.get(key);
        if (held == null) {
            return List.of();
        }
        return held instanceof ManyValues many ? (List<V>) (List<?>) many : List.of((V) held);
    }

    void clear() {
        values.clear();
        shared.clear();
    }

    /** A list of values, a type of its own so that a value that is itself a list is never taken for one. */
    private static final class ManyValues extends ArrayList<Object> {
        ManyValues(int capacity) {
            super(capacity);
        }
    }
}
