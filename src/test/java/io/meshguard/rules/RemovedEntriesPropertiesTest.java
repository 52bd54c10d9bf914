package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.ListenerClusters.Clusters;
import io.meshguard.rules.ListenerClusters.Crowded;
import io.meshguard.rules.ListenerClusters.Crowds;
import io.meshguard.rules.ListenerClusters.Entries;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * An index that filed entries and took them out again (deleted, or replaced by another version) answers a review as
 * one that never filed them: removal finds each occupant in the lists its visibility put it in, and leaves every
 * list as it would be.
 */
class RemovedEntriesPropertiesTest {

    @Property(tries = 1000, seed = "8816")
    void deleting_entries_leaves_the_index_as_if_they_never_came(@ForAll(supplier = Clusters.class)
            List<ServiceEntryFacts> kept, @ForAll(supplier = Clusters.class) List<ServiceEntryFacts> deleted,
            @ForAll(supplier = Entries.class) ServiceEntryFacts reviewed) {
        assertThat(afterDeleting(kept, deleted, reviewed)).isEqualTo(findings(kept, reviewed));
    }

    @Property(tries = 1000, seed = "8817")
    void on_a_crowded_listener_too(@ForAll(supplier = Crowds.class) List<ServiceEntryFacts> kept,
            @ForAll(supplier = Crowds.class) List<ServiceEntryFacts> deleted,
            @ForAll(supplier = Crowded.class) ServiceEntryFacts reviewed) {
        assertThat(afterDeleting(kept, deleted, reviewed)).isEqualTo(findings(kept, reviewed));
    }

    /** {@code deleted} (those whose keys {@code kept} does not hold) confirmed among {@code kept}, then removed. */
    private static List<String> afterDeleting(List<ServiceEntryFacts> kept, List<ServiceEntryFacts> deleted,
            ServiceEntryFacts reviewed) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> ListenerClusters.NOW, 30_000);
        List<ServiceEntryFacts> gone = new ArrayList<>();
        for (ServiceEntryFacts entry : deleted) {
            if (kept.stream().noneMatch(k -> k.key().equals(entry.key()))) {
                gone.add(entry);
            }
        }
        for (int i = 0; i < Math.max(kept.size(), gone.size()); i++) {
            if (i < gone.size()) {
                index.confirm(gone.get(i));
            }
            if (i < kept.size()) {
                index.confirm(kept.get(i));
            }
        }
        gone.forEach(entry -> index.remove(entry.key()));
        return findings(index, reviewed);
    }

    private static List<String> findings(List<ServiceEntryFacts> kept, ServiceEntryFacts reviewed) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> ListenerClusters.NOW, 30_000);
        kept.forEach(index::confirm);
        return findings(index, reviewed);
    }

    private static List<String> findings(ServiceEntryIndex index, ServiceEntryFacts reviewed) {
        List<String> findings = new ArrayList<>();
        index.atomically(s -> new OutboundListenerRule().check(reviewed, s))
                .forEach(f -> findings.add(f.identity() + " " + f.severity() + " " + f.scope() + " "
                        + f.word().message()));
        return findings;
    }
}
