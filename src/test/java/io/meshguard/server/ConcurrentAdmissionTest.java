package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Two colliding entries posted at the same moment must never both be allowed: the review and the
 * reservation of what it allowed happen atomically. Each round uses a fresh port; 200 rounds, each
 * fired from two threads released by one barrier.
 */
@QuarkusTest
class ConcurrentAdmissionTest {

    static final int ROUNDS = 200;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void of_two_colliding_entries_posted_together_exactly_one_is_allowed() throws Exception {
        HttpClient client = Https.client();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<String> violations = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                int port = 40000 + round;
                CyclicBarrier start = new CyclicBarrier(2);
                CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(
                        () -> allowed(client, start, Reviews.tcpEntry("a-" + port, "race-a", "a", port)), pool);
                CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(
                        () -> allowed(client, start, Reviews.tcpEntry("b-" + port, "race-b", "b", port)), pool);
                int allowedCount = (a.get() ? 1 : 0) + (b.get() ? 1 : 0);
                if (allowedCount != 1) {
                    violations.add("port " + port + ": " + allowedCount + " allowed");
                }
            }
            assertThat(violations).as("rounds where not exactly one of the pair was allowed").isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean allowed(HttpClient client, CyclicBarrier start, String body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + Https.PORT + "/validate"))
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            start.await();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return JSON.readTree(response.body()).path("response").path("allowed").asBoolean();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
