package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.rules.ListenerClusters.Clusters;
import io.meshguard.rules.ListenerClusters.Crowded;
import io.meshguard.rules.ListenerClusters.Crowds;
import io.meshguard.rules.ListenerClusters.Entries;
import io.meshguard.rules.ListenerClusters.Meshes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Taking only the {@link ListenerNeighbours} that can matter finds exactly what rebuilding the listener from every
 * occupant finds, over clusters drawn from a small space: few hosts, ports, addresses and namespaces, so that
 * entries share listeners and matches; every protocol class, {@code HTTP_PROXY}, MongoDB, {@code /0}
 * destinations; and more occupants per listener than the index keeps unindexed by match.
 */
class ListenerNeighboursPropertiesTest {

    static final long NOW = ListenerClusters.NOW;
    /** Those the entries live in and name, and one nobody names. */
    static final List<String> NAMESPACES = List.of("a", "b", "c", "d", "e");
    /** A list of namespaces as a message prints it: which are named depends on which were built on their own. */
    static final Pattern NAMESPACE_LIST = Pattern.compile("\\[[*a-e](, [*a-e])*\\]");

    @Property(tries = 1500, seed = "8809")
    void on_a_crowded_listener_too(@ForAll(supplier = Crowds.class) List<ServiceEntryFacts> cluster,
            @ForAll(supplier = Crowded.class) ServiceEntryFacts reviewed) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        cluster.forEach(index::confirm);
        assertThat(outcome(index, reviewed, true)).isEqualTo(outcome(index, reviewed, false));
    }

    /**
     * The oldest public entry on the listener declares the reviewed entry's host in another namespace: in the
     * reviewed entry's namespace host selection leaves it out, and the next one (not MongoDB) opens the listener.
     */
    @Example
    void an_entry_host_selection_leaves_out_is_not_the_first_of_its_protocol() {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        index.confirm(tls("a", "shadowed", 0, "oo.com", List.of("10.0.0.0/24")));
        index.confirm(new ServiceEntryFacts(new EntryKey("a", "mongo"), "", NOW + 1, List.of("lk.com"),
                List.of(new ServicePort(443, "MONGO")), List.of(), List.of(), List.of(), Resolution.DNS));
        index.confirm(tls("a", "first", 1, "kl.com", List.of()));
        for (int i = 0; i < 8; i++) {
            index.confirm(tls("a", "later" + i, 2, "k" + i + ".com", List.of()));
        }
        ServiceEntryFacts reviewed = tls("b", "reviewed", 1, "oo.com", List.of());
        assertThat(outcome(index, reviewed, true)).isEqualTo(outcome(index, reviewed, false))
                .noneMatch(finding -> finding.contains("ProtocolFilterCollision"));
    }

    private static ServiceEntryFacts tls(String namespace, String name, long age, String host, List<String> addresses) {
        return new ServiceEntryFacts(new EntryKey(namespace, name), "", NOW + age, List.of(host),
                List.of(new ServicePort(443, "TLS")), addresses, List.of(), List.of(), Resolution.DNS);
    }

    @Property(tries = 1500, seed = "8808")
    void the_neighbours_that_can_matter_find_what_every_occupant_finds(
            @ForAll(supplier = Clusters.class) List<ServiceEntryFacts> cluster,
            @ForAll(supplier = Entries.class) ServiceEntryFacts reviewed,
            @ForAll(supplier = Meshes.class) MeshConfig mesh) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        index.setMesh(mesh);
        cluster.forEach(index::confirm);
        assertThat(outcome(index, reviewed, true)).isEqualTo(outcome(index, reviewed, false));
    }

    /**
     * Each finding by identity and severity, with the namespaces of {@link #NAMESPACES} it concerns: those it
     * names, and when it names {@code *}, those not built on their own. The two ways name different namespaces
     * for the same scope: every occupant builds every namespace some occupant is exported to by name.
     */
    private static List<String> outcome(ServiceEntryIndex index, ServiceEntryFacts reviewed, boolean pruning) {
        Set<String> built = new TreeSet<>();
        List<Finding> findings = index.atomically(s -> new OutboundListenerRule(pruning).check(reviewed, s, built::add));
        List<String> outcome = new ArrayList<>();
        for (Finding finding : findings) {
            Set<String> concerned = new TreeSet<>();
            for (String namespace : NAMESPACES) {
                if (finding.scope().contains(namespace)
                        || (finding.scope().contains(OutboundListenerRule.OTHER) && !built.contains(namespace))) {
                    concerned.add(namespace);
                }
            }
            String message = NAMESPACE_LIST.matcher(finding.word().message()).replaceAll("[namespaces]");
            outcome.add(finding.identity() + " " + finding.severity() + " " + concerned + " " + message);
        }
        Collections.sort(outcome);
        return outcome;
    }
}
