package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.meshguard.testing.Await;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Standalone, an offline audit: the seed 001 pair preloaded as {@code kubectl get serviceentries -A -o yaml} gives
 * it, and {@code GET /audit} lists the collision on the entry that loses, naming the one that keeps the listener. The
 * same folder holds seed 002's Gateway and a younger one on its workload, port and host: the conflict is listed on the
 * younger. A learnt VirtualService bound to a Gateway that does not exist is listed as a warning.
 */
@QuarkusTest
@TestProfile(AuditEndpointTest.Preloaded.class)
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AuditEndpointTest {

    public static class Preloaded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshguard.standalone.preload-dir", "src/test/resources/audit/preload",
                    "meshguard.audit.debounce", "100ms", "meshguard.audit.enabled", "true");
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1)
    void the_preloaded_collision_is_listed_with_the_entry_that_keeps_the_listener() {
        Https.given().queryParam("kind", "ServiceEntry").get("/audit").then().statusCode(200)
                .body("entries", equalTo(2))
                .body("counts.ListenerCollision", equalTo(1))
                .body("findings", hasSize(1))
                .body("findings[0].kind", equalTo("ServiceEntry"))
                .body("findings[0].code", equalTo("ListenerCollision"))
                .body("findings[0].severity", equalTo("deny"))
                .body("findings[0].entry", equalTo("ns1/github"))
                .body("findings[0].otherEntry", equalTo("ns2/hwcloud"))
                .body("findings[0].listener", equalTo("0.0.0.0_443"))
                .body("findings[0].namespaces", equalTo(java.util.List.of("*")))
                .body("findings[0].keptBy[0].entry", equalTo("ns2/hwcloud"))
                .body("findings[0].keptBy[0].reason", equalTo("older"))
                .body("findings[0].losesTraffic", equalTo(true))
                .body("findings[0].fix", containsString("set spec.addresses"));
        Https.given().queryParam("namespace", "ns2").get("/audit").then().statusCode(200).body("findings", hasSize(0));
        Https.given().queryParam("kind", "Gateway").get("/audit").then().statusCode(200)
                .body("gateways", equalTo(2))
                .body("virtualServices", equalTo(1))
                .body("counts.ConflictingGateways", equalTo(1))
                .body("findings", hasSize(1))
                .body("findings[0].code", equalTo("ConflictingGateways"))
                .body("findings[0].severity", equalTo("deny"))
                .body("findings[0].entry", equalTo("shop/shop-gateway"))
                .body("findings[0].otherEntry", equalTo("default/bookinfo-gateway"))
                .body("findings[0].port", equalTo(80))
                .body("findings[0].workload", equalTo("istio=ingressgateway"))
                .body("findings[0].keptBy[0].entry", equalTo("default/bookinfo-gateway"))
                .body("findings[0].keptBy[0].reason", equalTo("older"))
                .body("findings[0].losesTraffic", equalTo(true))
                .body("findings[0].fix", containsString("bind your VirtualServices to default/bookinfo-gateway"));

        Await.until("the background audit has recorded its metrics", Duration.ofSeconds(10),
                () -> metrics().contains("meshguard_audit_findings{rule=\"ListenerCollision\",severity=\"deny\"} 1.0"));
        assertThat(metrics()).contains("meshguard_audit_entries 2.0").contains("meshguard_audit_duration_seconds_count")
                .contains("meshguard_audit_last_run_seconds");
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void a_learnt_delete_of_the_keeper_clears_the_finding() {
        String delete = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"audit-del",
                 "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},
                 "name":"hwcloud","namespace":"ns2","operation":"DELETE","object":null}}""";
        Https.review(delete).post("/validate").then().body("response.allowed", equalTo(true));
        Https.given().queryParam("kind", "ServiceEntry").get("/audit").then().statusCode(200)
                .body("entries", equalTo(1))
                .body("findings", hasSize(0));
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void a_learnt_virtualservice_bound_to_a_missing_gateway_is_listed_as_a_warning() throws Exception {
        String review = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/test/resources/reviews/seed002-virtualservice-missing-gateway-create.json"));
        Https.review(review).post("/validate").then().body("response.allowed", equalTo(true));
        Https.given().queryParam("kind", "VirtualService").get("/audit").then().statusCode(200)
                .body("virtualServices", equalTo(2))
                .body("gateways", equalTo(2))
                .body("counts.GatewayNotFound", equalTo(1))
                .body("findings", hasSize(1))
                .body("findings[0].kind", equalTo("VirtualService"))
                .body("findings[0].code", equalTo("GatewayNotFound"))
                .body("findings[0].severity", equalTo("warn"))
                .body("findings[0].entry", equalTo("canary/bookinfo-canary"))
                .body("findings[0].otherEntry", equalTo("canary/bookinfo-gateway"))
                .body("findings[0].losesTraffic", equalTo(false))
                .body("findings[0].message", containsString("IST0101"));
        Https.given().queryParam("kind", "Gateway").get("/audit").then().statusCode(200).body("findings", hasSize(1));
        Await.until("the background audit has counted the warning", Duration.ofSeconds(10),
                () -> metrics().contains("meshguard_audit_findings{rule=\"GatewayNotFound\",severity=\"warn\"} 1.0"));
        assertThat(metrics()).contains("meshguard_audit_virtualservices 2.0").contains("meshguard_audit_gateways 2.0")
                .contains("meshguard_audit_findings{rule=\"ConflictingGateways\",severity=\"deny\"} 1.0");
    }

    private static String metrics() {
        return Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
