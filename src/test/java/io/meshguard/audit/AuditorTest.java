package io.meshguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.mesh.ServicePort;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.testing.Allocation;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit of stored entries, from the collision fixtures read the other way round: the fixture's existing entries
 * and the entry under review are all stored, and the audit must find the fixture's collision, once, on the entry
 * that loses, naming the one that keeps the listener.
 */
class AuditorTest {

    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final Auditor AUDITOR = new Auditor(ServiceEntryReview.standard());

    static Stream<Arguments> creates() {
        return Fixtures.in("collision").filter(a -> !"UPDATE".equals(((JsonNode) a.get()[1]).path("operation").asText()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void the_fixture_collision_is_found_on_the_entry_that_loses(String file, JsonNode fixture) {
        List<ServiceEntryFacts> stored = new ArrayList<>();
        fixture.path("existing").forEach(e -> stored.add(ServiceEntryReader.read(e, null, NOW)));
        ServiceEntryFacts reviewed = ServiceEntryReader.read(fixture.required("review"), null, NOW);
        stored.add(reviewed);
        AuditResult result = AUDITOR.audit(
                ServiceEntryIndex.Stored.of(stored, MeshConfigReader.fromTree(fixture.path("mesh"))), 7, NOW);

        assertThat(result.entries()).isEqualTo(stored.size());
        assertThat(result.indexVersion()).isEqualTo(7);
        List<AuditFinding> failures = result.findings().stream().filter(AuditFinding::failure).toList();
        List<String> expected = new ArrayList<>();
        for (JsonNode denial : fixture.path("expect").path("denials")) {
            String code = denial.required("code").asText();
            String other = denial.required("other").asText();
            List<String> winners = Fixtures.texts(denial.path("winners")).stream()
                    .map(w -> w.substring(0, w.indexOf(" in "))).toList();
            String self = reviewed.key().toString();
            if (winners.stream().anyMatch(w -> !w.equals(self))) {
                expected.add(code + " " + self + " loses to " + other);
            }
            if (winners.stream().anyMatch(w -> !w.equals(other))) {
                expected.add(code + " " + other + " loses to " + self);
            }
        }
        List<String> found = failures.stream()
                .filter(f -> f.other() != null && (f.entry().equals(reviewed.key()) || f.other().equals(reviewed.key())))
                .map(f -> f.code() + " " + f.entry() + " loses to " + f.other()).toList();
        assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
        for (AuditFinding failure : failures) {
            if (!failure.keptBy().isEmpty()) {
                assertThat(failure.losesTraffic()).isTrue();
                assertThat(failure.keptBy()).anySatisfy(k -> assertThat(k.entry()).isNotEqualTo(failure.entry().toString()));
                assertThat(failure.namespaces()).isNotEmpty();
            }
        }
    }

    @Test
    void seed_001_names_the_entry_that_keeps_the_listener() {
        JsonNode fixture = Fixtures.read(java.nio.file.Path.of(
                "src/test/resources/fixtures/collision/01-seed001-tcp-443-second-denied.yaml"));
        List<ServiceEntryFacts> stored = List.of(ServiceEntryReader.read(fixture.path("existing").get(0), null, NOW),
                ServiceEntryReader.read(fixture.required("review"), null, NOW));
        AuditResult result = AUDITOR.audit(ServiceEntryIndex.Stored.of(stored, MeshConfig.DEFAULT), 1, NOW);
        assertThat(result.findings()).singleElement().satisfies(f -> {
            assertThat(f.code()).isEqualTo("ListenerCollision");
            assertThat(f.entry()).isEqualTo(new EntryKey("ns1", "github"));
            assertThat(f.other()).isEqualTo(new EntryKey("ns2", "hwcloud"));
            assertThat(f.listener()).isEqualTo("0.0.0.0_443");
            assertThat(f.namespaces()).containsExactly("*");
            assertThat(f.keptBy()).containsExactly(new AuditFinding.Keeper("ns2/hwcloud", List.of("*"), "older"));
            assertThat(f.fix()).contains("set spec.addresses");
            assertThat(f.port()).isEqualTo(443);
        });
        assertThat(result.countsByCode()).containsExactly(java.util.Map.entry("ListenerCollision", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void an_entry_alone_never_collides_with_itself(String file, JsonNode fixture) {
        ServiceEntryFacts reviewed = ServiceEntryReader.read(fixture.required("review"), null, NOW);
        AuditResult result = AUDITOR.audit(
                ServiceEntryIndex.Stored.of(List.of(reviewed), MeshConfigReader.fromTree(fixture.path("mesh"))), 1, NOW);
        assertThat(result.findings()).noneMatch(f -> f.other() != null);
    }

    /** A random cluster dense in collisions, with every exportTo form: no finding pairs an entry with itself. */
    @Test
    void a_dense_cluster_never_pairs_an_entry_with_itself_and_names_a_keeper_for_each_loss() {
        for (long seed = 1; seed <= 3; seed++) {
            AuditResult result = AUDITOR.audit(
                    ServiceEntryIndex.Stored.of(denseCluster(new Random(seed), 300), MeshConfig.DEFAULT), 1, NOW);
            assertThat(result.findings()).as("seed %d", seed).isNotEmpty();
            assertThat(result.findings()).allSatisfy(f -> assertThat(f.other()).isNotEqualTo(f.entry()));
            assertThat(result.findings()).filteredOn(AuditFinding::losesTraffic).allSatisfy(f ->
                    assertThat(f.keptBy()).anySatisfy(k -> assertThat(k.entry()).isNotEqualTo(f.entry().toString())));
        }
    }

    /**
     * 100 stored entries on 9000/TCP, each exported to the same 50,000 namespaces by name (past the 256 values a
     * review reads: each is ObjectTooLarge, and still a neighbour), and a public one after them, which loses the
     * listener in each of those namespaces. The audit takes who sees each entry from the index (not a copy of each
     * 50,000-name set), builds the namespaces that see alike once, and keeps a finding's namespaces as the one list
     * they share. Before, the same audit ran out of the image's 144 MiB heap.
     */
    @Test
    void entries_exported_to_50000_namespaces_by_name_cost_the_audit_one_list_of_namespaces() {
        List<String> namespaces = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            namespaces.add("team-" + i);
        }
        List<ServiceEntryFacts> entries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            entries.add(new ServiceEntryFacts(new EntryKey("ns" + i, "x" + i), "", NOW + i,
                    List.of("x" + i + ".example.com"), List.of(new ServicePort(9_000, "TCP")), List.of(), List.of(),
                    namespaces, Resolution.DNS));
        }
        entries.add(new ServiceEntryFacts(new EntryKey("late", "public"), "", NOW + 1000, List.of("late.example.com"),
                List.of(new ServicePort(9_000, "TCP")), List.of(), List.of(), List.of(), Resolution.DNS));
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        index.replaceAll(entries);
        ServiceEntryIndex.Stored stored = index.stored();

        long before = Allocation.allocatedBytes();
        AuditResult result = AUDITOR.audit(stored, 1, NOW);
        long allocated = Allocation.allocatedBytes() - before;

        assertThat(result.countsByCode()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("ObjectTooLarge", 100, "ListenerCollision", 1));
        assertThat(result.findings()).filteredOn(f -> f.code().equals("ListenerCollision")).singleElement()
                .satisfies(f -> {
                    assertThat(f.entry()).isEqualTo(new EntryKey("late", "public"));
                    assertThat(f.keptBy()).singleElement().satisfies(k -> assertThat(k.entry()).isEqualTo("ns0/x0"));
                    assertThat(f.namespaces()).hasSize(11).contains("team-0", "... 49990 more");
                });
        if (before >= 0) {
            assertThat(allocated).as("bytes allocated by the audit").isLessThan(128L << 20);
        }
    }

    static List<ServiceEntryFacts> denseCluster(Random random, int n) {
        String[] protocols = {"TCP", "TCP", "TLS", "HTTPS", "HTTP", "MYSQL", "MONGO", "UDP", ""};
        List<List<String>> exports = List.of(List.of(), List.of("."), List.of("*"), List.of("ns1"),
                List.of("ns2", "ns3"), List.of("~"), List.of(".", "ns4"), List.of("*", "ns1"));
        List<ServiceEntryFacts> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String namespace = "ns" + random.nextInt(6);
            List<ServicePort> ports = List.of(new ServicePort(random.nextBoolean() ? 443 : 3306,
                    protocols[random.nextInt(protocols.length)]));
            List<String> addresses = switch (random.nextInt(4)) {
                case 0 -> List.of("10.0.0." + random.nextInt(3));
                case 1 -> List.of("10.1.0.0/24");
                default -> List.of();
            };
            entries.add(new ServiceEntryFacts(new EntryKey(namespace, "e" + i), "uid-" + i,
                    NOW - random.nextInt(5) * 86_400_000L, List.of("h" + random.nextInt(30) + ".example.com"), ports,
                    addresses, List.of(), exports.get(random.nextInt(exports.size())),
                    random.nextInt(10) == 0 ? Resolution.STATIC : Resolution.DNS));
        }
        return entries;
    }
}
