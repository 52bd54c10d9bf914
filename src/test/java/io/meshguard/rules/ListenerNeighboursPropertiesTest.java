package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Taking only the {@link ListenerNeighbours} that can matter finds exactly what rebuilding the listener from every
 * occupant finds, over clusters drawn from a small space: few hosts, ports, addresses and namespaces, so that
 * entries share listeners and matches; every protocol class, {@code HTTP_PROXY}, MongoDB, {@code /0}
 * destinations; and more occupants per listener than the index keeps unindexed by match.
 */
class ListenerNeighboursPropertiesTest {

    static final long NOW = 1_767_225_600_000L;
    /** Those the entries live in and name, and one nobody names. */
    static final List<String> NAMESPACES = List.of("a", "b", "c", "d", "e");
    /** A list of namespaces as a message prints it: which are named depends on which were built on their own. */
    static final Pattern NAMESPACE_LIST = Pattern.compile("\\[[*a-e](, [*a-e])*\\]");

    @Provide
    Arbitrary<ServiceEntryFacts> entries() {
        Arbitrary<ServicePort> port = Combinators.combine(Arbitraries.of(443, 443, 443, 80, 27017),
                Arbitraries.of("TLS", "TLS", "HTTPS", "TCP", "TCP", "HTTP", "HTTP", "", "MONGO", "HTTP_PROXY",
                        "UDP"))
                .as(ServicePort::new);
        return Combinators.combine(
                Arbitraries.of("a", "b", "c", "d"),
                Arbitraries.strings().withChars("pqrstuvw").ofLength(3),
                Arbitraries.of(NOW - 3000, NOW - 2000, NOW - 2000, NOW - 1000),
                Arbitraries.of("x.com", "y.com", "z.com", "w.com", "*.v.com").list().ofMinSize(1).ofMaxSize(2)
                        .uniqueElements(),
                port.list().ofMinSize(1).ofMaxSize(2).uniqueElements(ServicePort::number),
                Arbitraries.<List<String>>of(List.of(), List.of(), List.of(), List.of("10.0.0.1"),
                        List.of("10.0.0.0/24"), List.of("0.0.0.0/0"), List.of("1.2.3.4/0"),
                        List.of("10.0.0.0/24", "10.1.0.0/16")),
                Arbitraries.<List<String>>of(List.of(), List.of("*"), List.of("."), List.of("a"), List.of("b", "c"),
                        List.of(".", "d")),
                Arbitraries.of(Resolution.DNS, Resolution.NONE, Resolution.STATIC))
                .as((ns, name, created, hosts, ports, addresses, exportTo, resolution) -> new ServiceEntryFacts(
                        new EntryKey(ns, name), "", created, hosts, ports, addresses,
                        List.of("240.240.0.1"), exportTo, resolution));
    }

    /** Many entries on one wildcard listener, every protocol class, MongoDB and MySQL among them. */
    @Provide
    Arbitrary<ServiceEntryFacts> crowded() {
        Arbitrary<ServicePort> port = Arbitraries.of("TLS", "TLS", "TCP", "HTTP", "", "MONGO", "MYSQL", "HTTPS")
                .map(protocol -> new ServicePort(443, protocol));
        return Combinators.combine(
                Arbitraries.of("a", "b", "c"),
                Arbitraries.strings().withChars("pqrstuvw").ofLength(3),
                Arbitraries.longs().between(NOW - 9000, NOW),
                Arbitraries.strings().withChars("klmnop").ofLength(2).map(h -> h + ".com").list().ofMinSize(1)
                        .ofMaxSize(2).uniqueElements(),
                port,
                Arbitraries.<List<String>>of(List.of(), List.of(), List.of(), List.of("0.0.0.0/0"),
                        List.of("1.2.3.4/0"), List.of("10.0.0.0/24")),
                Arbitraries.<List<String>>of(List.of(), List.of(), List.of("."), List.of("b")))
                .as((ns, name, created, hosts, p, addresses, exportTo) -> new ServiceEntryFacts(
                        new EntryKey(ns, name), "", created, hosts, List.of(p), addresses, List.of(), exportTo,
                        Resolution.DNS));
    }

    @Provide
    Arbitrary<List<ServiceEntryFacts>> crowds() {
        return crowded().list().ofMinSize(9).ofMaxSize(25).uniqueElements(ServiceEntryFacts::key);
    }

    @Property(tries = 1500, seed = "8809")
    void on_a_crowded_listener_too(@ForAll("crowds") List<ServiceEntryFacts> cluster,
            @ForAll("crowded") ServiceEntryFacts reviewed) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        cluster.forEach(index::confirm);
        assertThat(outcome(index, reviewed, true)).isEqualTo(outcome(index, reviewed, false));
    }

    @Provide
    Arbitrary<List<ServiceEntryFacts>> clusters() {
        return entries().list().ofMinSize(1).ofMaxSize(30).uniqueElements(ServiceEntryFacts::key);
    }

    @Provide
    Arbitrary<MeshConfig> meshes() {
        return Arbitraries.of(MeshConfig.DEFAULT, new MeshConfig(List.of("."), false),
                new MeshConfig(List.of(), true));
    }

    @Property(tries = 1500, seed = "8808")
    void the_neighbours_that_can_matter_find_what_every_occupant_finds(@ForAll("clusters") List<ServiceEntryFacts> cluster,
            @ForAll("entries") ServiceEntryFacts reviewed, @ForAll("meshes") MeshConfig mesh) {
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
