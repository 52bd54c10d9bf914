package io.meshguard.server;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** meshguard.standalone.preload-dir: the folder's good entries are in the index before the first review. */
@QuarkusTest
@TestProfile(PreloadedIndexTest.Preloaded.class)
class PreloadedIndexTest {

    public static class Preloaded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshguard.standalone.preload-dir", "src/test/resources/preload");
        }
    }

    @Test
    void a_review_colliding_with_a_preloaded_entry_is_denied_and_names_it() {
        Https.review(Reviews.tcpEntry("vs-preloaded", "ns1", "github", 443).replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true"))
                .post("/validate")
                .then().statusCode(200)
                .body("response.allowed", equalTo(false))
                .body("response.status.message", containsString("collides with ns2/hwcloud on listener 0.0.0.0_443"))
                .body("response.status.message", containsString("ns2/hwcloud's host www.huaweicloud.com keeps the listener (older)"));
    }

    @Test
    void ready_is_up_once_the_preload_is_in_despite_the_broken_document() {
        Https.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
