package io.meshguard.rules;

import com.carrotsearch.hppc.LongHashSet;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the listener model reported about one entry, as one finding per (code, other entry, port). Past
 * {@code listed} findings of one severity, only their identities are kept, as numbers: a decision words at most
 * {@link ServiceEntryReview#LISTED} and counts the rest.
 */
final class EntryFindings {

    private final ServiceEntryFacts entry;
    private final int listed;
    private final FindingNumbers numbers;
    private final Map<ListenerFindings.GroupKey, ListenerFindings.Group> groups = new LinkedHashMap<>();
    private final Map<Severity, Integer> groupsOf = new EnumMap<>(Severity.class);
    private final Map<Severity, LongHashSet> unlisted = new EnumMap<>(Severity.class);

    /** Every finding described. */
    EntryFindings(ServiceEntryFacts entry) {
        this(entry, Integer.MAX_VALUE, null);
    }

    EntryFindings(ServiceEntryFacts entry, int listed, FindingNumbers numbers) {
        this.entry = entry;
        this.listed = listed;
        this.numbers = numbers;
    }

    ServiceEntryFacts entry() {
        return entry;
    }

    void record(ListenerFindings.Event event, List<String> namespaces) {
        ListenerFindings.GroupKey key = event.groupKey();
        ListenerFindings.Group group = groups.get(key);
        if (group == null) {
            if (groupsOf.getOrDefault(event.severity(), 0) >= listed) {
                unlisted.computeIfAbsent(event.severity(), s -> new LongHashSet()).add(numbers.number(key));
                return;
            }
            groupsOf.merge(event.severity(), 1, Integer::sum);
            group = new ListenerFindings.Group(entry, key);
            groups.put(key, group);
        }
        group.add(event, namespaces);
    }

    /** The findings in words first, then those only counted, in the order of their numbers. */
    List<Finding> findings() {
        List<Finding> findings = new ArrayList<>(groups.size());
        for (ListenerFindings.Group group : groups.values()) {
            findings.add(group.finding());
        }
        unlisted.forEach((severity, set) -> {
            long[] sorted = set.toArray();
            Arrays.sort(sorted);
            for (long number : sorted) {
                ListenerFindings.GroupKey key = numbers.key(number);
                findings.add(Finding.unworded(key.code(), severity, "spec.ports", key.other(), key.port(),
                        () -> counted(key, severity)));
            }
        });
        return findings;
    }

    private Finding counted(ListenerFindings.GroupKey key, Severity severity) {
        String message = key.code() + ": ServiceEntry " + Words.value(entry.key().toString()) + " with "
                + Words.value(String.valueOf(key.other())) + " on port " + key.port()
                + " (counted; the first " + listed + " findings are described in full).";
        return new Finding(key.code(), severity, "spec.ports", message, Words.warning(message), key.other(),
                key.port(), List.of(new Cause(key.code(), "spec.ports", message)));
    }
}
