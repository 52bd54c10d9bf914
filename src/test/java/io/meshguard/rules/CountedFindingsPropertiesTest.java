package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.ListenerClusters.Crowded;
import io.meshguard.rules.ListenerClusters.Crowds;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A review that describes only the first findings of each severity and counts the rest finds what describing every
 * one finds: the same first findings, in words, and the rest by identity. A decision on CREATE reads no more.
 */
class CountedFindingsPropertiesTest {

    @Property(tries = 1000, seed = "8814")
    void the_findings_past_those_described_are_counted_by_identity(
            @ForAll(supplier = Crowds.class) List<ServiceEntryFacts> cluster,
            @ForAll(supplier = Crowded.class) ServiceEntryFacts reviewed,
            @ForAll @IntRange(min = 0, max = 3) int described) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> ListenerClusters.NOW, 30_000);
        cluster.forEach(index::confirm);
        OutboundListenerRule rule = new OutboundListenerRule();
        List<Finding> every = index.atomically(s -> rule.check(reviewed, s));
        List<Finding> counted = index.atomically(s -> rule.check(reviewed, s, described));

        Map<Severity, Integer> seen = new EnumMap<>(Severity.class);
        List<String> expectedWords = new ArrayList<>();
        List<String> expectedCounted = new ArrayList<>();
        for (Finding finding : every) {
            if (seen.merge(finding.severity(), 1, Integer::sum) <= described) {
                expectedWords.add(finding.severity() + " " + finding.word().message());
            } else {
                expectedCounted.add(finding.severity() + " " + finding.identity());
            }
        }
        List<String> words = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        for (Finding finding : counted) {
            if (finding.scope().isEmpty()) {
                identities.add(finding.severity() + " " + finding.identity());
            } else {
                words.add(finding.severity() + " " + finding.word().message());
            }
        }
        assertThat(words).containsExactlyInAnyOrderElementsOf(expectedWords);
        assertThat(identities).containsExactlyInAnyOrderElementsOf(expectedCounted);
    }
}
