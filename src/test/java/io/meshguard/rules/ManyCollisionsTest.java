package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One entry can collide with thousands: exported to a namespace by name, it comes first there, and every public
 * catch-all TCP service on its port loses that namespace's traffic. The load harness found that such a review wrote every collision out in full (hundreds of milliseconds and
 * megabytes of answer at 10k entries). A decision now words the first {@link ServiceEntryReview#LISTED} and counts
 * the rest, while the rest still count for the decision.
 */
class ManyCollisionsTest {

    static final long NOW = 1_767_225_600_000L;

    static ServiceEntryFacts entry(String namespace, String name, long created, int port, String protocol) {
        return new ServiceEntryFacts(new EntryKey(namespace, name), "", created, List.of(name + ".example.com"),
                List.of(new ServicePort(port, protocol)), List.of(), List.of(), List.of("*"), Resolution.DNS);
    }

    static ServiceEntryFacts entry(String namespace, String name, long created, List<ServicePort> ports) {
        return new ServiceEntryFacts(new EntryKey(namespace, name), "", created, List.of(name + ".example.com"),
                ports, List.of(), List.of(), List.of("*"), Resolution.DNS);
    }

    /** The entry under review: exported by name to {@code team}, so it comes first there. */
    static ServiceEntryFacts probe(long created, List<ServicePort> ports) {
        return new ServiceEntryFacts(new EntryKey("db", "probe"), "", created, List.of("probe.example.com"), ports,
                List.of(), List.of(), List.of("team"), Resolution.DNS);
    }

    ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
    ServiceEntryReview review = ServiceEntryReview.standard();

    void tcpEntries(int count, int port) {
        for (int i = 0; i < count; i++) {
            index.confirm(entry("web-" + i, "site-" + port + "-" + i, NOW - 1000, port, "TCP"));
        }
    }

    Decision decide(ServiceEntryFacts entry, ServiceEntryFacts previous) {
        return index.atomically(snapshot -> review.review(entry, previous, snapshot));
    }

    @Test
    void thousands_of_collisions_list_ten_in_words_and_count_the_rest() {
        tcpEntries(5000, 80);
        decide(probe(NOW, List.of(new ServicePort(80, "TCP"))), null); // the bound is on the work, not on JIT warm-up
        long started = System.nanoTime();
        Decision decision = decide(probe(NOW, List.of(new ServicePort(80, "TCP"))), null);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.denials()).hasSize(ServiceEntryReview.LISTED + 1);
        assertThat(decision.denials().subList(0, ServiceEntryReview.LISTED)).allSatisfy(d -> {
            assertThat(d.code()).isEqualTo(OutboundListenerRule.COLLISION);
            assertThat(d.message()).startsWith("ServiceEntry db/probe port 80/TCP collides with web-");
            assertThat(d.causes()).isNotEmpty();
        });
        Finding more = decision.denials().get(ServiceEntryReview.LISTED);
        assertThat(more.code()).isEqualTo(ServiceEntryReview.MORE);
        assertThat(more.message()).startsWith("4990 more collisions not listed, with web-").endsWith(", ....");
        assertThat(millis).as("a review against 5,000 colliding entries").isLessThan(1000);
    }

    @Test
    void ten_or_fewer_are_all_listed_without_a_count() {
        tcpEntries(10, 80);
        Decision decision = decide(probe(NOW, List.of(new ServicePort(80, "TCP"))), null);
        assertThat(decision.denials()).hasSize(10).allSatisfy(d -> assertThat(d.worded()).isTrue())
                .noneMatch(d -> d.code().equals(ServiceEntryReview.MORE));
    }

    @Test
    void an_update_keeping_many_pre_existing_collisions_is_allowed_with_a_bounded_list_of_warnings() {
        tcpEntries(40, 80);
        ServiceEntryFacts old = probe(NOW - 5000, List.of(new ServicePort(80, "TCP")));
        Decision decision = decide(probe(NOW - 5000, List.of(new ServicePort(80, "TCP"))), old);
        assertThat(decision.allowed()).isTrue();
        assertThat(decision.warnings()).hasSize(ServiceEntryReview.LISTED + 1);
        assertThat(decision.warnings().get(0).summary()).startsWith(ServiceEntryReview.PRE_EXISTING);
        assertThat(decision.warnings().get(ServiceEntryReview.LISTED).summary())
                .startsWith("30 more warnings not listed").hasSizeLessThanOrEqualTo(256);
    }

    @Test
    void new_collisions_behind_many_pre_existing_ones_are_denied_and_worded() {
        tcpEntries(40, 80);
        tcpEntries(3, 8080);
        ServiceEntryFacts old = probe(NOW - 5000, List.of(new ServicePort(80, "TCP")));
        ServiceEntryFacts edited = probe(NOW - 5000, List.of(new ServicePort(80, "TCP"), new ServicePort(8080, "TCP")));
        Decision decision = decide(edited, old);
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.denials()).hasSize(3).allSatisfy(d -> {
            assertThat(d.port()).isEqualTo(8080);
            assertThat(d.message()).contains("port 8080/TCP collides with web-");
        });
        List<String> others = new ArrayList<>();
        decision.denials().forEach(d -> others.add(d.other().toString()));
        assertThat(others).containsExactlyInAnyOrder("web-0/site-8080-0", "web-1/site-8080-1", "web-2/site-8080-2");
    }

    @Test
    void an_export_to_past_the_limit_is_refused_naming_the_limit() {
        List<String> exportTo = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            exportTo.add("team-" + i);
        }
        ServiceEntryFacts wide = new ServiceEntryFacts(new EntryKey("ns1", "github"), "", NOW,
                List.of("github.com"), List.of(new ServicePort(443, "TCP")), List.of(), List.of(), exportTo,
                Resolution.DNS);
        Decision decision = decide(wide, null);
        assertThat(decision.denials()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(ObjectLimits.CODE);
            assertThat(d.message()).contains("spec.exportTo lists 5000 items").contains("at most 256");
        });
    }

    @Test
    void an_export_to_hundreds_of_namespaces_names_ten_of_them() {
        index.confirm(entry("ns2", "hwcloud", NOW - 1000, 443, "TCP"));
        List<String> exportTo = new ArrayList<>();
        for (int i = 0; i < ObjectLimits.EXPORT_TO; i++) {
            exportTo.add("team-" + i);
        }
        ServiceEntryFacts wide = new ServiceEntryFacts(new EntryKey("ns1", "github"), "", NOW,
                List.of("github.com"), List.of(new ServicePort(443, "TCP")), List.of(), List.of(), exportTo,
                Resolution.DNS);
        Decision decision = decide(wide, null);
        assertThat(decision.allowed()).isFalse();
        Finding denial = decision.denials().get(0);
        assertThat(denial.message()).contains("in namespaces [team-0, team-1, ").contains(", ... " + (ObjectLimits.EXPORT_TO - 10) + " more]")
                .hasSizeLessThan(1200);
        assertThat(denial.causes()).allSatisfy(c -> assertThat(c.message()).hasSizeLessThan(1200));
        assertThat(denial.causes()).anySatisfy(c -> assertThat(c.message()).endsWith(",... " + (ObjectLimits.EXPORT_TO - 10) + " more"));
    }
}
