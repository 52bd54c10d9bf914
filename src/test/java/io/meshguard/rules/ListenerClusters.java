package io.meshguard.rules;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ArbitrarySupplier;
import net.jqwik.api.Combinators;

/**
 * Clusters drawn from a small space, for the listener model's properties: few hosts, ports, addresses and
 * namespaces, so that entries share listeners and matches; every protocol class, {@code HTTP_PROXY}, MongoDB,
 * MySQL, {@code /0} destinations.
 */
final class ListenerClusters {

    static final long NOW = 1_767_225_600_000L;

    private ListenerClusters() {
    }

    /** For {@code @ForAll(supplier = ...)}: one entry from the small space. */
    static final class Entries implements ArbitrarySupplier<ServiceEntryFacts> {
        @Override
        public Arbitrary<ServiceEntryFacts> get() {
            return entries();
        }
    }

    /** An entry on the crowded wildcard listener. */
    static final class Crowded implements ArbitrarySupplier<ServiceEntryFacts> {
        @Override
        public Arbitrary<ServiceEntryFacts> get() {
            return crowded();
        }
    }

    /** A cluster from the small space. */
    static final class Clusters implements ArbitrarySupplier<List<ServiceEntryFacts>> {
        @Override
        public Arbitrary<List<ServiceEntryFacts>> get() {
            return clusters();
        }
    }

    /** A crowd on one wildcard listener. */
    static final class Crowds implements ArbitrarySupplier<List<ServiceEntryFacts>> {
        @Override
        public Arbitrary<List<ServiceEntryFacts>> get() {
            return crowds();
        }
    }

    /** A mesh config: the default, exportTo {@code .} by default, or auto-allocated addresses. */
    static final class Meshes implements ArbitrarySupplier<MeshConfig> {
        @Override
        public Arbitrary<MeshConfig> get() {
            return meshes();
        }
    }

    static Arbitrary<ServiceEntryFacts> entries() {
        Arbitrary<ServicePort> port = Combinators.combine(Arbitraries.of(443, 443, 443, 80, 27017),
                Arbitraries.of("TLS", "TLS", "HTTPS", "TCP", "TCP", "HTTP", "HTTP", "", "MONGO", "MYSQL", "HTTP_PROXY",
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
    static Arbitrary<ServiceEntryFacts> crowded() {
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
                        List.of("1.2.3.4/0"), List.of("10.0.0.0/24"), List.of("10.1.0.0/16"), List.of("10.2.0.0/16")),
                Arbitraries.<List<String>>of(List.of(), List.of(), List.of("."), List.of("b")))
                .as((ns, name, created, hosts, p, addresses, exportTo) -> new ServiceEntryFacts(
                        new EntryKey(ns, name), "", created, hosts, List.of(p), addresses, List.of(), exportTo,
                        Resolution.DNS));
    }

    static Arbitrary<List<ServiceEntryFacts>> clusters() {
        return entries().list().ofMinSize(1).ofMaxSize(30).uniqueElements(ServiceEntryFacts::key);
    }

    static Arbitrary<MeshConfig> meshes() {
        return Arbitraries.of(MeshConfig.DEFAULT, new MeshConfig(List.of("."), false),
                new MeshConfig(List.of(), true));
    }

    static Arbitrary<List<ServiceEntryFacts>> crowds() {
        return crowded().list().ofMinSize(9).ofMaxSize(25).uniqueElements(ServiceEntryFacts::key);
    }
}
