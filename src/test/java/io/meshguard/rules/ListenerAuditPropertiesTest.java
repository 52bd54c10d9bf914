package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ExportTo;
import io.meshguard.rules.ListenerClusters.Clusters;
import io.meshguard.rules.ListenerClusters.Crowds;
import io.meshguard.rules.ListenerClusters.Meshes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link ListenerAudit} builds each listener once for every entry on it. Letting representatives stand for the
 * entries that only follow finds exactly what building every entry finds; and each entry gets what its own review
 * ({@link OutboundListenerRule}) against all the others finds: every warning, and every denial in which it loses.
 */
class ListenerAuditPropertiesTest {

    @Property(tries = 1000, seed = "8810")
    void representatives_find_what_every_entry_finds(@ForAll(supplier = Clusters.class) List<ServiceEntryFacts> cluster,
            @ForAll(supplier = Meshes.class) MeshConfig mesh) {
        assertThat(audited(cluster, mesh, true)).isEqualTo(audited(cluster, mesh, false));
    }

    @Property(tries = 1000, seed = "8811")
    void representatives_find_what_every_entry_finds_on_a_crowded_listener(
            @ForAll(supplier = Crowds.class) List<ServiceEntryFacts> cluster) {
        assertThat(audited(cluster, MeshConfig.DEFAULT, true)).isEqualTo(audited(cluster, MeshConfig.DEFAULT, false));
    }

    @Property(tries = 1000, seed = "8812")
    void each_entry_gets_what_its_own_review_finds(@ForAll(supplier = Clusters.class) List<ServiceEntryFacts> cluster,
            @ForAll(supplier = Meshes.class) MeshConfig mesh) {
        assertThat(audited(cluster, mesh)).isEqualTo(reviewed(cluster, mesh));
    }

    @Property(tries = 1000, seed = "8813")
    void each_entry_gets_what_its_own_review_finds_on_a_crowded_listener(
            @ForAll(supplier = Crowds.class) List<ServiceEntryFacts> cluster) {
        assertThat(audited(cluster, MeshConfig.DEFAULT)).isEqualTo(reviewed(cluster, MeshConfig.DEFAULT));
    }

    /**
     * Where a MySQL entry exported by name opens the listener, every later service of another protocol is skipped:
     * the one that stands for the public followers is, and so is each of them.
     */
    @Example
    void what_happens_to_the_representative_happens_to_each_follower() {
        List<ServiceEntryFacts> cluster = new ArrayList<>(List.of(
                entry("mysql", 0, "m.com", "MYSQL", List.of(), List.of("b")),
                entry("tls-first", 1, "t.com", "TLS", List.of(), List.of()),
                entry("http-first", 1, "h.com", "HTTP", List.of(), List.of())));
        for (int i = 0; i < 5; i++) {
            cluster.add(entry("tls-" + i, 2, "t" + i + ".com", "TLS", List.of(), List.of()));
            cluster.add(entry("http-" + i, 2, "h" + i + ".com", "HTTP", List.of(), List.of()));
        }
        List<String> pruned = audited(cluster, MeshConfig.DEFAULT, true);
        assertThat(pruned).isEqualTo(audited(cluster, MeshConfig.DEFAULT, false))
                .filteredOn(f -> f.contains("code=ProtocolFilterCollision, other=a/mysql") && f.contains("[b]"))
                .hasSize(12);
    }

    private static ServiceEntryFacts entry(String name, long age, String host, String protocol,
            List<String> addresses, List<String> exportTo) {
        return new ServiceEntryFacts(new EntryKey("a", name), "", ListenerClusters.NOW + age, List.of(host),
                List.of(new ServicePort(443, protocol)), addresses, List.of(), exportTo, Resolution.DNS);
    }

    /** Every finding of every entry, whole: identity, severity, namespaces and words. */
    private static List<String> audited(List<ServiceEntryFacts> cluster, MeshConfig mesh, boolean pruning) {
        Function<ServiceEntryFacts, List<Finding>> findings = new ListenerAudit(pruning, Integer.MAX_VALUE)
                .findings(cluster, entry -> ExportTo.of(entry, mesh), mesh);
        List<String> out = new ArrayList<>();
        for (ServiceEntryFacts entry : cluster) {
            for (Finding finding : findings.apply(entry)) {
                out.add(entry.key() + " " + finding.identity() + " " + finding.severity() + " "
                        + new java.util.TreeSet<>(finding.scope()) + " " + finding.word().message());
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Each entry's warnings, and the denials in which someone else keeps it, by identity and severity. */
    private static List<String> audited(List<ServiceEntryFacts> cluster, MeshConfig mesh) {
        Function<ServiceEntryFacts, List<Finding>> findings = new ListenerAudit(true, Integer.MAX_VALUE)
                .findings(cluster, entry -> ExportTo.of(entry, mesh), mesh);
        List<String> out = new ArrayList<>();
        for (ServiceEntryFacts entry : cluster) {
            for (Finding finding : findings.apply(entry)) {
                if (finding.severity() == Severity.WARN || loses(entry, finding.word())) {
                    out.add(entry.key() + " " + finding.identity() + " " + finding.severity());
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    /** The same, from each entry's own review: its warnings, and the denials in which someone else keeps it. */
    private static List<String> reviewed(List<ServiceEntryFacts> cluster, MeshConfig mesh) {
        ServiceEntryIndex index = new ServiceEntryIndex(() -> ListenerClusters.NOW, 30_000);
        index.setMesh(mesh);
        cluster.forEach(index::confirm);
        List<String> out = new ArrayList<>();
        index.atomically(snapshot -> {
            for (ServiceEntryFacts entry : cluster) {
                for (Finding finding : new OutboundListenerRule().check(entry, snapshot)) {
                    if (finding.severity() == Severity.WARN || loses(entry, finding.word())) {
                        out.add(entry.key() + " " + finding.identity() + " " + finding.severity());
                    }
                }
            }
            return null;
        });
        Collections.sort(out);
        return out;
    }

    private static boolean loses(ServiceEntryFacts entry, Finding finding) {
        for (Cause cause : finding.causes()) {
            if (cause.reason().equals("Winner")
                    && !cause.message().startsWith(Words.value(entry.key().toString()) + " in ")) {
                return true;
            }
        }
        return false;
    }
}
