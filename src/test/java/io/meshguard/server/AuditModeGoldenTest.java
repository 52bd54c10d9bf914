package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code meshguard.enforcement.default=audit}, over HTTPS: the seed 001 pair is allowed with nothing to read, and the
 * collision is counted in {@code meshguard_enforcement_findings_total{mode="audit"}}.
 */
@QuarkusTest
@TestProfile(AuditModeGoldenTest.Audit.class)
class AuditModeGoldenTest {

    public static class Audit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshguard.enforcement.default", "audit");
        }
    }

    @Test
    void seed_001_both_allowed_silently_and_the_collision_counted() {
        String series = "meshguard_enforcement_findings_total{mode=\"audit\",rule=\"ListenerCollision\"}";
        double before = WarnModeGoldenTest.GoldenSequence.metric(series);
        WarnModeGoldenTest.GoldenSequence.assertGolden(List.of("seed001-hwcloud-create", "seed001-github-create"),
                "audit");
        assertThat(WarnModeGoldenTest.GoldenSequence.metric(series)).isEqualTo(before + 1);
        assertThat(WarnModeGoldenTest.GoldenSequence.metric("meshguard_enforcement_default{mode=\"audit\"}"))
                .isEqualTo(1);
    }

    @Test
    void a_malformed_entry_is_admitted_too_in_audit_mode() {
        Https.review(Reviews.serviceEntry("v1", "a-bad", "CREATE", "audit-x", "bad", "{\"ports\":\"nope\"}"))
                .post("/validate").then().statusCode(200).body("response.allowed", equalTo(true));
    }
}
