package io.meshguard.server;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode with an API server that cannot be reached: the informers never list, so meshguard must
 * report not-ready and refuse to judge (503) rather than allow against an empty index.
 */
@QuarkusTest
@TestProfile(ClusterModeNotSyncedTest.UnreachableApiServer.class)
class ClusterModeNotSyncedTest {

    public static class UnreachableApiServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "meshguard.mode", "cluster",
                    "quarkus.kubernetes-client.api-server-url", "https://127.0.0.1:1",
                    "quarkus.kubernetes-client.request-timeout", "PT1S",
                    "quarkus.kubernetes-client.connection-timeout", "PT1S");
        }
    }

    @Test
    void readiness_is_down_until_the_informers_have_listed() {
        Https.given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'serviceentry-index' }.data.mode", equalTo("cluster"));
        Https.given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void a_review_before_the_sync_is_503_so_the_failure_policy_decides() {
        Https.review(Reviews.tcpEntry("early", "ns", "early", 34000)).post("/validate")
                .then().statusCode(503)
                .body("message", containsString("has not finished listing"));
    }
}
