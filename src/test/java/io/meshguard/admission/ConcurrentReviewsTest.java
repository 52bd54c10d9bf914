package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.ServiceEntryRule;
import io.meshguard.rules.OutboundListenerRule;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The review-and-reserve step under contention, without the network in between: the rule is slowed
 * down so that two reviews overlap for certain, which is the window the lock has to close.
 */
class ConcurrentReviewsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final AdmissionReviewCodec CODEC = new AdmissionReviewCodec(JSON);

    @ParameterizedTest
    @EnumSource(ServiceEntryIndexValidator.Learning.class)
    void of_two_colliding_entries_reviewed_together_exactly_one_is_allowed(ServiceEntryIndexValidator.Learning learning)
            throws Exception {
        ServiceEntryRule slow = (entry, index) -> {
            LockSupport.parkNanos(200_000);
            return new OutboundListenerRule().check(entry, index);
        };
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, 30_000);
        AdmissionPipeline admission = AdmissionPipeline.validating(CODEC, List.of(
                IstioNetworking.serviceEntries(System::currentTimeMillis)
                        .validator(new ServiceEntryIndexValidator(index, new ServiceEntryReview(List.of(slow)), learning))
                        .build()));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Integer> badRounds = new ArrayList<>();
            for (int port = 1000; port < 1300; port++) {
                CyclicBarrier start = new CyclicBarrier(2);
                int p = port;
                CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(
                        () -> allowed(admission, start, "ns-a", p), pool);
                CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(
                        () -> allowed(admission, start, "ns-b", p), pool);
                if ((a.get() ? 1 : 0) + (b.get() ? 1 : 0) != 1) {
                    badRounds.add(port);
                }
            }
            assertThat(badRounds).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean allowed(AdmissionPipeline admission, CyclicBarrier start, String namespace, int port) {
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"%s-%d",
                 "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},
                 "namespace":"%s","name":"e","operation":"CREATE",
                 "object":{"metadata":{"name":"e","namespace":"%s"},
                   "spec":{"hosts":["e.%s"],"ports":[{"number":%d,"protocol":"TCP"}],"resolution":"DNS"}}}}
                """.formatted(namespace, port, namespace, namespace, namespace, port);
        try {
            AdmissionRequestView request = CODEC.read(review.getBytes());
            start.await();
            return admission.review(request).allowed();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
