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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Properties of the collision rule over entries drawn from a small space (so that they meet often): it is
 * symmetric, and the order in which the index learnt its entries changes no decision.
 */
class RulePropertiesTest {

    static final long NOW = 1_767_225_600_000L;
    static final ServiceEntryReview REVIEW = ServiceEntryReview.standard();

    @Provide
    Arbitrary<ServiceEntryFacts> entries() {
        Arbitrary<ServicePort> port = Combinators.combine(Arbitraries.of(443, 80, 3306),
                Arbitraries.of("TCP", "TLS", "HTTPS", "HTTP", "GRPC", "MYSQL", "MONGO", "UDP", "", "REDIS"))
                .as(ServicePort::new);
        return Combinators.combine(
                Arbitraries.of("a", "b", "c"),
                Arbitraries.strings().withChars("xyz").ofLength(2),
                Arbitraries.of(NOW - 3000, NOW - 2000, NOW - 2000, NOW - 1000),
                Arbitraries.of("x.com", "y.com", "*.z.com").list().ofMinSize(1).ofMaxSize(2).uniqueElements(),
                port.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.<List<String>>of(List.of(), List.of(), List.of("10.0.0.1"), List.of("10.0.0.1/32"),
                        List.of("10.0.0.0/24"), List.of("10.0.0.0/16", "10.1.0.0/16"), List.of("2001:db8::1")),
                Arbitraries.<List<String>>of(List.of(), List.of("*"), List.of("."), List.of("a"), List.of("b", "c"),
                        List.of("~"), List.of(".", "b")),
                Arbitraries.of(Resolution.DNS, Resolution.NONE, Resolution.STATIC, Resolution.DYNAMIC_DNS))
                .as((ns, name, created, hosts, ports, addresses, exportTo, resolution) -> new ServiceEntryFacts(
                        new EntryKey(ns, name), "", created, hosts, ports, addresses,
                        List.of("240.240.0.1"), exportTo, resolution));
    }

    @Provide
    Arbitrary<List<ServiceEntryFacts>> entryLists() {
        return entries().list().ofMinSize(2).ofMaxSize(10);
    }

    @Provide
    Arbitrary<MeshConfig> meshes() {
        return Arbitraries.of(MeshConfig.DEFAULT, new MeshConfig(List.of("."), false),
                new MeshConfig(List.of(), true));
    }

    static Decision review(MeshConfig mesh, List<ServiceEntryFacts> existing, ServiceEntryFacts entry) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        index.setMesh(mesh);
        existing.forEach(index::confirm);
        return index.atomically(snapshot -> REVIEW.review(entry, null, snapshot));
    }

    /** Denied for a collision with another entry (an entry's hosts colliding with each other are its own affair). */
    static boolean denies(Decision decision, ServiceEntryFacts entry) {
        return decision.denials().stream().anyMatch(d -> !entry.key().equals(d.other()));
    }

    @Property(tries = 3000, seed = "5101")
    void if_x_collides_with_y_then_y_collides_with_x(@ForAll("entries") ServiceEntryFacts x,
            @ForAll("entries") ServiceEntryFacts y, @ForAll("meshes") MeshConfig mesh) {
        Decision xAgainstY = review(mesh, List.of(y), x);
        Decision yAgainstX = review(mesh, List.of(x), y);
        assertThat(denies(yAgainstX, y)).as("%s against %s: %s; the other way round: %s", x, y, xAgainstY.denials(),
                yAgainstX.denials()).isEqualTo(denies(xAgainstY, x));
    }

    @Property(tries = 1500, seed = "5102")
    void the_order_the_index_learnt_its_entries_changes_no_decision(
            @ForAll("entryLists") List<ServiceEntryFacts> drawn, @ForAll("entries") ServiceEntryFacts entry,
            @ForAll("meshes") MeshConfig mesh, @ForAll long shuffleSeed) {
        Map<EntryKey, ServiceEntryFacts> unique = new LinkedHashMap<>();
        drawn.forEach(e -> unique.putIfAbsent(e.key(), e));
        List<ServiceEntryFacts> existing = new ArrayList<>(unique.values());
        List<ServiceEntryFacts> shuffled = new ArrayList<>(existing);
        Collections.shuffle(shuffled, new Random(shuffleSeed));

        Decision inOrder = review(mesh, existing, entry);
        Decision reordered = review(mesh, shuffled, entry);

        assertThat(reordered.allowed()).isEqualTo(inOrder.allowed());
        assertThat(words(reordered.denials())).as("denials").containsExactlyInAnyOrderElementsOf(words(inOrder.denials()));
        assertThat(words(reordered.warnings())).as("warnings")
                .containsExactlyInAnyOrderElementsOf(words(inOrder.warnings()));
    }

    static List<String> words(List<Finding> findings) {
        return findings.stream().map(f -> f.code() + " " + f.field() + " " + f.other() + " " + f.message()).toList();
    }

    /**
     * The sample the order property once shrank to (the sniffing warning named whichever TCP entry was filed
     * first). With one namespace per hostname modelled, the HTTP x.com of namespace a is what proxies outside b
     * use, and b's two TCP declarations of x.com are ignored there: two host collisions, whatever the order.
     */
    @Example
    void the_host_collisions_are_the_same_whatever_the_order() {
        ServiceEntryFacts aXx = tcp("a", "xx");
        ServiceEntryFacts bXx = tcp("b", "xx");
        ServiceEntryFacts bXy = tcp("b", "xy");
        ServiceEntryFacts http = new ServiceEntryFacts(new EntryKey("a", "xx"), "", NOW - 3000, List.of("x.com"),
                List.of(new ServicePort(443, "HTTP")), List.of(), List.of(), List.of(), Resolution.DNS);
        Decision one = review(MeshConfig.DEFAULT, List.of(aXx, bXx, bXy), http);
        Decision other = review(MeshConfig.DEFAULT, List.of(aXx, bXy, bXx), http);
        assertThat(one.denials()).extracting(Finding::code).containsOnly(OutboundListenerRule.HOST_COLLISION);
        assertThat(one.denials()).extracting(Finding::other).containsExactlyInAnyOrder(bXx.key(), bXy.key());
        assertThat(words(other.denials())).containsExactlyInAnyOrderElementsOf(words(one.denials()));
        assertThat(words(other.warnings())).isEqualTo(words(one.warnings()));
    }

    static ServiceEntryFacts tcp(String namespace, String name) {
        return new ServiceEntryFacts(new EntryKey(namespace, name), "", NOW - 3000, List.of("x.com"),
                List.of(new ServicePort(443, "TCP")), List.of(), List.of(), List.of(), Resolution.DNS);
    }
}
