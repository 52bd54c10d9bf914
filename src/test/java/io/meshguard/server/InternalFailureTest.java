package io.meshguard.server;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.meshguard.rules.ServiceEntryReview;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A rule that throws must give 500, so that failurePolicy decides: never an allow. */
@QuarkusTest
@TestProfile(InternalFailureTest.BrokenRules.class)
class InternalFailureTest {

    public static class BrokenRules implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ThrowingReview.class);
        }
    }

    @ApplicationScoped
    @Alternative
    public static class ThrowingReview {
        @Produces
        @Singleton
        ServiceEntryReview review() {
            return new ServiceEntryReview(List.of((entry, index) -> {
                throw new IllegalStateException("simulated bug in a rule");
            }));
        }
    }

    @Test
    void an_internal_failure_is_500_and_never_an_allow() {
        for (int attempt = 0; attempt < 3; attempt++) {
            Https.review(Reviews.tcpEntry("boom-" + attempt, "ns", "boom", 32000))
                    .post("/validate")
                    .then().statusCode(500)
                    .body("code", equalTo(500))
                    .body("message", containsString("failurePolicy decides"))
                    .body(not(containsString("\"allowed\"")));
        }
    }

    @Test
    void kinds_that_need_no_rule_are_still_answered() {
        String pod = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"pod",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE","object":{}}}""";
        Https.review(pod).post("/validate").then().statusCode(200).body("response.allowed", equalTo(true));
    }
}
