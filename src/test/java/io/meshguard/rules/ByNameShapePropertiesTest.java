package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Telling a namespace what the build of another found, where each is given by name one entry whose services have
 * the same {@link ByNameShape}, finds what building it finds: the same findings, namespaces and words. The clusters
 * give most entries hosts of their own and export them to one namespace, as the by-name entries of a large
 * cluster are, with some hosts shared and some entries exported more widely, so that both replayed and built
 * namespaces meet on one listener.
 */
class ByNameShapePropertiesTest {

    static final long NOW = ListenerClusters.NOW;

    record Spec(String namespace, long created, int hosts, ServicePort port, List<String> addresses,
            List<String> exportTo) {
    }

    static final List<String> NAMESPACES = List.of("a", "b", "c", "d", "f", "g", "h", "k");

    static Arbitrary<Spec> specs() {
        Arbitrary<ServicePort> port = Arbitraries.of(new ServicePort(80, "HTTP"), new ServicePort(80, "HTTP"),
                new ServicePort(80, "TCP"), new ServicePort(80, ""), new ServicePort(80, "MYSQL"),
                new ServicePort(80, "HTTP_PROXY"), new ServicePort(443, "TLS"), new ServicePort(443, "HTTPS"),
                new ServicePort(443, "TCP"), new ServicePort(443, "MONGO"), new ServicePort(443, "HTTP"));
        Arbitrary<String> namespace = Arbitraries.of(NAMESPACES);
        Arbitrary<List<String>> exportTo = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(List.of("."))),
                net.jqwik.api.Tuple.of(4, namespace.map(List::of)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(List.of("*"))),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(List.of())),
                net.jqwik.api.Tuple.of(1, namespace.list().ofSize(2).uniqueElements()));
        return Combinators.combine(
                namespace,
                Arbitraries.of(NOW - 3000, NOW - 2000, NOW - 1000, NOW),
                // 0: a host of its own; 1: one of two hosts others may declare too; 2 and 3: a second host of its
                // own, sorting after or before the first
                Arbitraries.of(0, 0, 0, 1, 1, 2, 3),
                port,
                Arbitraries.<List<String>>of(List.of(), List.of(), List.of(), List.of("10.0.0.1"),
                        List.of("10.0.0.0/24"), List.of("1.2.3.4/0")),
                exportTo)
                .as(Spec::new);
    }

    /** Entry {@code i} of a cluster: hosts of its own unless it takes one of two that others may take too. */
    static ServiceEntryFacts entry(int i, Spec spec) {
        List<String> hosts = switch (spec.hosts()) {
            case 1 -> List.of(i % 2 == 0 ? "shared.com" : "also-shared.com");
            case 2 -> List.of("m" + i + ".com", "z" + i + ".com");
            case 3 -> List.of("m" + i + ".com", "a" + i + ".com");
            default -> List.of("m" + i + ".com");
        };
        return new ServiceEntryFacts(new EntryKey(spec.namespace(), "se-" + i), "", spec.created(), hosts,
                List.of(spec.port()), spec.addresses(), List.of(), spec.exportTo(), Resolution.DNS);
    }

    @Provide
    Arbitrary<List<ServiceEntryFacts>> clusters() {
        return specs().list().ofMinSize(2).ofMaxSize(40).map(list -> {
            List<ServiceEntryFacts> cluster = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                cluster.add(entry(i, list.get(i)));
            }
            return cluster;
        });
    }

    /** Exported everywhere, or by name to several namespaces, where it ranks among their by-name entries. */
    @Provide
    Arbitrary<ServiceEntryFacts> reviewed() {
        Arbitrary<List<String>> exportTo = Arbitraries.oneOf(Arbitraries.just(List.of("*")),
                Arbitraries.just(List.of()), Arbitraries.of(NAMESPACES).list().ofMinSize(2).ofMaxSize(4)
                        .uniqueElements());
        return Combinators.combine(specs(), exportTo).as((spec, to) -> entry(1000,
                new Spec(spec.namespace(), spec.created(), spec.hosts(), spec.port(), spec.addresses(), to)));
    }

    @Property(tries = 1500, seed = "8815")
    void a_replayed_namespace_finds_what_building_it_finds(@ForAll("clusters") List<ServiceEntryFacts> cluster,
            @ForAll("reviewed") ServiceEntryFacts reviewed) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        cluster.forEach(index::confirm);
        assertThat(outcome(index, reviewed, true, true)).isEqualTo(outcome(index, reviewed, false, true));
    }

    /**
     * As above, with some entries also reserved in another version (allowed by this replica, not yet stored): both
     * versions are filed, and a namespace may be given both by name, or one by name and see the other everywhere.
     */
    @Property(tries = 1000, seed = "4471")
    void a_replayed_namespace_finds_what_building_it_finds_beside_reservations(
            @ForAll("clusters") List<ServiceEntryFacts> cluster, @ForAll("reservations") List<Spec> changes,
            @ForAll("reviewed") ServiceEntryFacts reviewed) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        cluster.forEach(index::confirm);
        for (int i = 0; i < Math.min(changes.size(), cluster.size()); i++) {
            ServiceEntryFacts stored = cluster.get(i);
            ServiceEntryFacts changed = entry(i, changes.get(i));
            index.reserve(new ServiceEntryFacts(stored.key(), "", stored.createdMillis(), changed.hosts(),
                    changed.ports(), changed.addresses(), List.of(), changed.exportTo(), Resolution.DNS));
            net.jqwik.api.statistics.Statistics.label("versions given by name").collect(
                    (byName(stored) ? 1 : 0) + (byName(changed) ? 1 : 0));
        }
        assertThat(outcome(index, reviewed, true, true)).isEqualTo(outcome(index, reviewed, false, true));
    }

    private static boolean byName(ServiceEntryFacts entry) {
        return !entry.exportTo().isEmpty() && !entry.exportTo().contains("*");
    }

    @Provide
    Arbitrary<List<Spec>> reservations() {
        return specs().list().ofMinSize(1).ofMaxSize(4);
    }

    /**
     * A MySQL entry exported everywhere, on a port where three namespaces are each given an older HTTP entry by
     * name: skipped in each (isConflictWithWellKnownPort), each namespace naming its own opener, whether built or
     * told what another build found.
     */
    @Example
    void each_namespace_names_its_own_opener() {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        for (String namespace : List.of("a", "b", "c")) {
            index.confirm(new ServiceEntryFacts(new EntryKey(namespace, "web"), "", NOW - 1000,
                    List.of("web." + namespace + ".com"), List.of(new ServicePort(80, "HTTP")), List.of(), List.of(),
                    List.of("."), Resolution.DNS));
        }
        ServiceEntryFacts mysql = new ServiceEntryFacts(new EntryKey("db", "mysql"), "", NOW, List.of("db.com"),
                List.of(new ServicePort(80, "MYSQL")), List.of(), List.of(), List.of("*"), Resolution.DNS);
        assertThat(outcome(index, mysql, true, true)).isEqualTo(outcome(index, mysql, false, true));
        assertThat(outcome(index, mysql, true, false)).containsExactly(
                "ProtocolFilterCollision DENY a/web [a]",
                "ProtocolFilterCollision DENY b/web [b]",
                "ProtocolFilterCollision DENY c/web [c]");
    }

    /**
     * The reviewed entry declares a host an older public entry of another namespace declares too. Proxies of its own
     * namespace keep its declaration (selectServices, sidecar.go); those of another namespace keep the older one and
     * leave it out. Both namespaces are given by name one HTTP entry of one shape, but the first is built on its
     * own: what its build finds is not what the other's finds.
     */
    @Example
    void a_namespace_declaring_a_shared_host_is_built_on_its_own() {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        index.confirm(new ServiceEntryFacts(new EntryKey("u", "older"), "", NOW - 3000, List.of("h.com"),
                List.of(new ServicePort(443, "TCP")), List.of(), List.of(), List.of("*"), Resolution.DNS));
        for (String namespace : List.of("n", "r")) {
            index.confirm(new ServiceEntryFacts(new EntryKey(namespace, "web"), "", NOW - 1000,
                    List.of("web." + namespace + ".com"), List.of(new ServicePort(443, "HTTP")), List.of(), List.of(),
                    List.of("."), Resolution.DNS));
        }
        ServiceEntryFacts reviewed = new ServiceEntryFacts(new EntryKey("n", "db"), "", NOW - 2000,
                List.of("h.com"), List.of(new ServicePort(443, "TCP")), List.of(), List.of(), List.of("*"),
                Resolution.DNS);
        assertThat(outcome(index, reviewed, true, true)).isEqualTo(outcome(index, reviewed, false, true));
        assertThat(outcome(index, reviewed, true, false)).contains("DuplicateHost WARN u/older [*, r]");
    }

    /**
     * An entry given to one namespace by name is also reserved, changed to a public TCP entry that drops the
     * reviewed entry's equal chain everywhere: a finding naming the reserved version names the same object as the
     * by-name one, and is not the other namespace's by-name entry's to take.
     */
    @Example
    void an_entry_reserved_beside_its_stored_version_is_built_where_it_is_given_by_name() {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        for (String namespace : List.of("n", "r")) {
            index.confirm(new ServiceEntryFacts(new EntryKey(namespace, "web"), "", NOW - 3000,
                    List.of("web." + namespace + ".com"), List.of(new ServicePort(443, "HTTP")), List.of(), List.of(),
                    List.of("."), Resolution.DNS));
        }
        index.reserve(new ServiceEntryFacts(new EntryKey("n", "web"), "", NOW - 3000, List.of("tcp.n.com"),
                List.of(new ServicePort(443, "TCP")), List.of(), List.of(), List.of("*"), Resolution.DNS));
        ServiceEntryFacts reviewed = new ServiceEntryFacts(new EntryKey("d", "db"), "", NOW, List.of("db.com"),
                List.of(new ServicePort(443, "TCP")), List.of(), List.of(), List.of("*"), Resolution.DNS);
        assertThat(outcome(index, reviewed, true, true)).isEqualTo(outcome(index, reviewed, false, true))
                .anyMatch(finding -> finding.startsWith("ListenerCollision DENY n/web [*, n, r]"));
    }

    /** Each finding by code, severity, other entry and namespaces; then, with {@code words}, its message. */
    private static List<String> outcome(ServiceEntryIndex index, ServiceEntryFacts reviewed, boolean replaying,
            boolean words) {
        List<Finding> findings = index.atomically(s -> new OutboundListenerRule(true, replaying).check(reviewed, s));
        List<String> outcome = new ArrayList<>();
        for (Finding finding : findings) {
            outcome.add(finding.code() + " " + finding.severity() + " " + finding.other() + " "
                    + new TreeSet<>(finding.scope()) + (words ? " " + finding.word().message() : ""));
        }
        outcome.sort(null);
        return outcome;
    }
}
