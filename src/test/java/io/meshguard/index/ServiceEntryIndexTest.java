package io.meshguard.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.ListenerKey;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The index: what a review visits, and that a reservation only adds. */
class ServiceEntryIndexTest {

    static final long NOW = 1_767_225_600_000L;
    final AtomicLong clock = new AtomicLong(NOW);
    final ServiceEntryIndex index = new ServiceEntryIndex(clock::get, 30_000);
    final ServiceEntryReview review = ServiceEntryReview.standard();

    static ServiceEntryFacts tcp(String namespace, String name, int port, List<String> exportTo, long created) {
        return new ServiceEntryFacts(new EntryKey(namespace, name), "", created, List.of(name + ".example.com"),
                List.of(new ServicePort(port, "TCP")), List.of(), List.of(), exportTo, Resolution.DNS);
    }

    Decision admit(ServiceEntryFacts entry, ServiceEntryIndex.Recording recording) {
        return index.admit(entry, s -> review.review(entry, null, s), Decision::allowed, recording);
    }

    @Test
    void a_namespace_sees_the_public_entries_and_those_exported_to_it_and_no_others() {
        for (int i = 0; i < 500; i++) {
            index.confirm(tcp("team-" + i, "private-" + i, 443, List.of("."), NOW - 1000));
        }
        index.confirm(tcp("shared", "public", 443, List.of(), NOW - 1000));
        index.confirm(tcp("shared", "named", 443, List.of("mine", "other"), NOW - 1000));
        ListenerKey key = ListenerKey.wildcard(443);
        index.atomically(s -> {
            assertThat(s.seenEverywhere(key).all()).extracting(o -> o.entry().name()).containsExactly("public");
            assertThat(s.exportedByName(key, Set.of("mine"))).extracting(o -> o.entry().name())
                    .containsExactly("named");
            assertThat(s.exportedByName(key, Set.of("team-7", "other"))).extracting(o -> o.entry().name())
                    .containsExactlyInAnyOrder("private-7", "named");
            assertThat(s.exportedByName(key, null)).hasSize(501);
            return null;
        });
    }

    static ServiceEntryFacts entry(String name, long created, String protocol, List<String> addresses) {
        return new ServiceEntryFacts(new EntryKey("shared", name), "", created, List.of(name + ".example.com"),
                List.of(new ServicePort(443, protocol)), addresses, List.of(), List.of("*"), Resolution.DNS);
    }

    /**
     * The public occupants of a key as a review asks for them, whatever order they were filed or removed in: per
     * listener protocol in the order their entries' first services reach the listener (istiod's
     * SortServicesByCreationTime: older, then host), apart those that look past equal matches (MySQL here), and the
     * catch-all chains (those with neither address nor server name: MySQL and one TCP entry).
     */
    @Test
    void the_public_occupants_are_filed_for_the_questions_a_review_asks() {
        List<ServiceEntryFacts> filed = List.of(
                entry("tcp-b", NOW - 2000, "TCP", List.of("10.0.0.0/24")),
                entry("http-new", NOW - 1000, "HTTPS", List.of()),
                entry("tcp-a", NOW - 2000, "TCP", List.of("10.1.0.0/24")),
                entry("mysql", NOW - 5000, "MYSQL", List.of()),
                entry("tls-old", NOW - 3000, "TLS", List.of()),
                entry("tcp-all", NOW - 4000, "TCP", List.of()),
                entry("gone", NOW - 9000, "TLS", List.of()));
        filed.forEach(index::confirm);
        index.remove(new EntryKey("shared", "gone"));
        index.atomically(s -> {
            SeenEverywhere everywhere = s.seenEverywhere(ListenerKey.wildcard(443));
            assertThat(everywhere.inFirstServiceOrder(io.meshguard.mesh.listener.ListenerProtocol.TCP))
                    .extracting(o -> o.entry().name())
                    .containsExactly("tcp-all", "tls-old", "tcp-a", "tcp-b", "http-new");
            assertThat(everywhere.beyondMatch()).extracting(o -> o.entry().name()).containsExactly("mysql");
            assertThat(everywhere.catchAll()).extracting(o -> o.entry().name()).containsExactly("mysql", "tcp-all");
            assertThat(everywhere.all()).hasSize(6);
            return null;
        });
    }

    @Test
    void a_private_review_does_not_meet_private_entries_of_other_namespaces() {
        for (int i = 0; i < 200; i++) {
            index.confirm(tcp("team-" + i, "private-" + i, 443, List.of("."), NOW - 1000));
        }
        assertThat(admit(tcp("mine", "probe", 443, List.of("."), NOW), ServiceEntryIndex.Recording.NOTHING)
                .allowed()).isTrue();
        // Exported to team-7 by name, it meets private-7 there (and comes after it: older, both by name).
        assertThat(admit(tcp("mine", "probe", 443, List.of("team-7"), NOW), ServiceEntryIndex.Recording.NOTHING)
                .denials()).extracting(f -> f.other().toString()).containsExactly("team-7/private-7");
    }

    @Test
    void a_reservation_keeps_the_stored_version_in_force() {
        ServiceEntryFacts stored = tcp("ns1", "a", 443, List.of(), NOW - 1000);
        index.confirm(stored);
        // An UPDATE moving a to 8443 is allowed and reserved; the API server may still refuse the write.
        ServiceEntryFacts moved = tcp("ns1", "a", 8443, List.of(), NOW - 1000);
        assertThat(admit(moved, ServiceEntryIndex.Recording.RESERVE).allowed()).isTrue();
        // Until the cluster confirms the move, 443 is still held by the stored version...
        assertThat(admit(tcp("ns2", "b", 443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .isFalse();
        // ...and 8443 by the reservation.
        assertThat(admit(tcp("ns3", "c", 8443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .isFalse();
        // The write is refused: the reservation expires and the stored version alone stays.
        clock.addAndGet(31_000);
        assertThat(admit(tcp("ns3", "c", 8443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .isTrue();
        assertThat(admit(tcp("ns2", "b", 443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .isFalse();
    }

    @Test
    void a_create_of_an_existing_name_does_not_hide_the_stored_entry() {
        index.confirm(tcp("ns1", "a", 443, List.of(), NOW - 1000));
        // A CREATE of ns1/a on another port: allowed and reserved, then refused by the API server (AlreadyExists).
        assertThat(admit(tcp("ns1", "a", 9000, List.of(), NOW), ServiceEntryIndex.Recording.RESERVE).allowed())
                .isTrue();
        assertThat(admit(tcp("ns2", "b", 443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .as("the stored ns1/a still holds 443").isFalse();
    }

    @Test
    void the_confirmed_version_replaces_the_reservation() {
        index.confirm(tcp("ns1", "a", 443, List.of(), NOW - 1000));
        ServiceEntryFacts moved = tcp("ns1", "a", 8443, List.of(), NOW - 1000);
        admit(moved, ServiceEntryIndex.Recording.RESERVE);
        index.confirm(tcp("ns1", "a", 8443, List.of(), NOW - 1000));
        assertThat(index.reservations()).isZero();
        assertThat(admit(tcp("ns2", "b", 443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .isTrue();
        assertThat(admit(tcp("ns2", "b", 8443, List.of(), NOW), ServiceEntryIndex.Recording.NOTHING).allowed())
                .isFalse();
    }

    /**
     * An informer reports every write, and a resync every object again: the index (and the audit that runs when it
     * changes) moves only when a fact a rule reads has changed, or a reservation is settled.
     */
    @Test
    void a_confirmation_changes_the_index_only_when_a_fact_or_a_reservation_does() {
        record Case(String what, ServiceEntryFacts stored, ServiceEntryFacts reserved, ServiceEntryFacts confirmed,
                boolean changes) {
        }
        ServiceEntryFacts a = tcp("ns1", "a", 443, List.of(), NOW - 1000);
        List<Case> cases = List.of(
                new Case("an equal copy: a label, a status, a resync", a, null,
                        tcp("ns1", "a", 443, List.of(), NOW - 1000), false),
                new Case("the same object again", a, null, a, false),
                new Case("another port", a, null, tcp("ns1", "a", 8443, List.of(), NOW - 1000), true),
                new Case("another exportTo", a, null, tcp("ns1", "a", 443, List.of("."), NOW - 1000), true),
                new Case("a new entry", null, null, a, true),
                new Case("an equal copy that settles a reservation of the same spec", a,
                        tcp("ns1", "a", 443, List.of(), NOW - 1000), tcp("ns1", "a", 443, List.of(), NOW - 1000),
                        true));
        for (Case c : cases) {
            ServiceEntryIndex fresh = new ServiceEntryIndex(clock::get, 30_000);
            if (c.stored() != null) {
                fresh.confirm(c.stored());
            }
            if (c.reserved() != null) {
                fresh.reserve(c.reserved());
            }
            long before = fresh.version();
            fresh.confirm(c.confirmed());
            assertThat(fresh.version() != before).as(c.what()).isEqualTo(c.changes());
            assertThat(fresh.reservations()).as(c.what()).isZero();
            assertThat(fresh.size()).as(c.what()).isEqualTo(1);
        }
    }

    /**
     * A review reads the index beside other reviews, so the index may change between its read and the recording
     * of what it allowed: it is then reviewed again under the write lock, and only that answer counts. Each case
     * runs {@code meanwhile} after the first review allowed {@code probe}, before it is recorded.
     */
    @Test
    void an_entry_is_recorded_only_as_reviewed_against_the_index_it_joins() {
        record Case(String what, Consumer<ServiceEntryIndex> meanwhile, int reviews, boolean allowed,
                int reservations) {
        }
        ServiceEntryFacts probe = tcp("ns1", "probe", 443, List.of(), NOW);
        List<Case> cases = List.of(
                new Case("nothing happens", fresh -> {
                }, 1, true, 1),
                new Case("a colliding entry is admitted", fresh -> fresh.admit(tcp("ns2", "rival", 443, List.of(), NOW - 1),
                        s -> review.review(tcp("ns2", "rival", 443, List.of(), NOW - 1), null, s), Decision::allowed,
                        ServiceEntryIndex.Recording.RESERVE), 2, false, 1),
                new Case("an entry on another port is confirmed", fresh -> fresh.confirm(
                        tcp("ns2", "elsewhere", 8443, List.of(), NOW - 1)), 2, true, 1),
                new Case("an equal copy of a stored entry is confirmed (nothing changes)", fresh -> fresh.confirm(
                        tcp("ns3", "stored", 9000, List.of(), NOW - 5)), 1, true, 1),
                new Case("a dry run is reviewed", fresh -> fresh.admit(tcp("ns2", "rival", 443, List.of(), NOW - 1),
                        s -> review.review(tcp("ns2", "rival", 443, List.of(), NOW - 1), null, s), Decision::allowed,
                        ServiceEntryIndex.Recording.NOTHING), 1, true, 1));
        for (Case c : cases) {
            ServiceEntryIndex fresh = new ServiceEntryIndex(clock::get, 30_000);
            fresh.confirm(tcp("ns3", "stored", 9000, List.of(), NOW - 5));
            AtomicInteger reviews = new AtomicInteger();
            AtomicInteger tested = new AtomicInteger();
            Decision decision = fresh.admit(probe, s -> {
                reviews.incrementAndGet();
                return review.review(probe, null, s);
            }, d -> {
                if (tested.getAndIncrement() == 0 && d.allowed()) {
                    c.meanwhile().accept(fresh);
                }
                return d.allowed();
            }, ServiceEntryIndex.Recording.RESERVE);
            assertThat(reviews.get()).as(c.what() + ": reviews").isEqualTo(c.reviews());
            assertThat(decision.allowed()).as(c.what() + ": allowed").isEqualTo(c.allowed());
            assertThat(fresh.reservations()).as(c.what() + ": reservations").isEqualTo(c.reservations());
        }
    }

    /**
     * An allowed edit that changes no fact (a label, an annotation) records nothing, so it does not wait for the
     * write lock: it is answered while another review still reads.
     */
    @Test
    void an_edit_that_changes_no_fact_is_answered_while_another_review_reads() throws Exception {
        ServiceEntryFacts stored = tcp("ns1", "a", 443, List.of(), NOW - 1000);
        index.confirm(stored);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> longReview = pool.submit(() -> readUntil(index, reading, answered));
            assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();
            for (ServiceEntryIndex.Recording recording : List.of(ServiceEntryIndex.Recording.LEARN,
                    ServiceEntryIndex.Recording.RESERVE)) {
                Future<Boolean> edit = pool.submit(() -> admit(tcp("ns1", "a", 443, List.of(), NOW - 1000), recording)
                        .allowed());
                assertThat(edit.get(20, TimeUnit.SECONDS)).as(recording.name()).isTrue();
            }
            answered.countDown();
            assertThat(longReview.get(20, TimeUnit.SECONDS)).as("both edits were answered during the long review")
                    .isTrue();
            assertThat(index.reservations()).isZero();
            assertThat(index.size()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** No more reviews read at once than the index lets: a third waits until one of two reading is done. */
    @Test
    void reviews_beyond_the_readers_wait_their_turn() throws Exception {
        ServiceEntryIndex two = new ServiceEntryIndex(clock::get, 30_000, 2);
        CountDownLatch bothReading = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean thirdRead = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int i = 0; i < 2; i++) {
                pool.submit(() -> readUntil(two, bothReading, release));
            }
            assertThat(bothReading.await(5, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> third = pool.submit(() -> two.atomically(s -> thirdRead.getAndSet(true)));
            Thread.sleep(300);
            assertThat(thirdRead).as("the third review waits while two read").isFalse();
            release.countDown();
            third.get(20, TimeUnit.SECONDS);
            assertThat(thirdRead).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Two reviews read at once: the first waits, inside its read, for the second to read too. */
    @Test
    void reviews_read_the_index_side_by_side() throws Exception {
        index.confirm(tcp("ns1", "a", 443, List.of(), NOW - 1000));
        CountDownLatch firstReading = new CountDownLatch(1);
        CountDownLatch secondReading = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Boolean> first = pool.submit(() -> readUntil(index, firstReading, secondReading));
            assertThat(firstReading.await(5, TimeUnit.SECONDS)).isTrue();
            Future<Boolean> second = pool.submit(() -> index.atomically(s -> {
                secondReading.countDown();
                return true;
            }));
            assertThat(first.get(20, TimeUnit.SECONDS)).as("the second review read while the first was reading")
                    .isTrue();
            assertThat(second.get(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    /** Reads {@code index}, says so on {@code reading}, and stays in the read until {@code until} opens (or 5 s). */
    private static boolean readUntil(ServiceEntryIndex index, CountDownLatch reading, CountDownLatch until) {
        return index.atomically(s -> {
            reading.countDown();
            try {
                return until.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }
}
