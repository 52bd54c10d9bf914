package io.meshguard.companions.controller;

import io.meshguard.testing.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Two replicas stand for one Lease in fabric8's CRUD mock: exactly one leads, and the other takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

    private static final LeaderElection.Timings FAST =
            new LeaderElection.Timings(Duration.ofMillis(1500), Duration.ofMillis(1000), Duration.ofMillis(200));

    static KubernetesClient client;

    @Test
    void one_replica_leads_and_another_takes_over_when_it_goes() {
        AtomicInteger startedA = new AtomicInteger();
        AtomicInteger startedB = new AtomicInteger();
        AtomicInteger stoppedA = new AtomicInteger();
        LeaderElection a = new LeaderElection(client, "meshguard", "meshguard-companions", "replica-a", FAST,
                startedA::incrementAndGet, stoppedA::incrementAndGet);
        LeaderElection b = new LeaderElection(client, "meshguard", "meshguard-companions", "replica-b", FAST,
                startedB::incrementAndGet, () -> { });
        try {
            a.start();
            await("replica-a leads", a::isLeader);
            b.start();
            sleep(FAST.lease().multipliedBy(2));
            assertThat(b.isLeader()).as("replica-b waits while replica-a renews").isFalse();
            assertThat(startedB).hasValue(0);
            Lease lease = client.leases().inNamespace("meshguard").withName("meshguard-companions").get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");

            a.close();

            await("replica-b takes over", b::isLeader);
            assertThat(startedB).hasValue(1);
            assertThat(startedA).hasValue(1);
            await("replica-a was told it stopped leading", () -> stoppedA.get() == 1);
            assertThat(client.leases().inNamespace("meshguard").withName("meshguard-companions").get().getSpec()
                    .getHolderIdentity()).isEqualTo("replica-b");
        } finally {
            a.close();
            b.close();
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(15), condition);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }
}
