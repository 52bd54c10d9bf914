package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The error contract (README.md), one row at a time, over HTTPS; after each bad input the server still answers a good review. */
@QuarkusTest
class ErrorContractTest {

    @AfterEach
    void still_serving() {
        Https.review(Reviews.tcpEntry("after-error", "contract", "healthy", 31000))
                .post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("after-error"))
                .body("response.allowed", equalTo(true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                     | {nope                                                  | not valid JSON",
        "JSON but not an object       | [1,2,3]                                                | not a JSON object",
        "empty body                   | ''                                                     | not a JSON object",
        "another kind                 | {\"apiVersion\":\"v1\",\"kind\":\"Pod\"}               | kind must be AdmissionReview",
        "unknown review version       | {\"apiVersion\":\"admission.k8s.io/v2\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"}} | apiVersion must be one of",
        "no request                   | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"} | has no request",
        "no uid                       | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}} | request.uid is missing",
        "uid of the wrong type        | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}} | request.uid must be a string",
        "unknown operation            | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"PATCH\"}} | request.operation must be",
        "CREATE without object        | {\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"kind\":{\"group\":\"networking.istio.io\",\"version\":\"v1\",\"kind\":\"ServiceEntry\"}}} | request.object is missing",
    })
    void a_body_that_is_not_an_answerable_review_is_400(String why, String body, String message) {
        Https.review(body).post("/validate")
                .then().statusCode(400)
                .body("code", equalTo(400))
                .body("message", containsString(message));
    }

    @Test
    void wrong_content_type_is_415() {
        Https.given().contentType("text/plain").body(Reviews.tcpEntry("u", "contract", "text", 31001))
                .post("/validate")
                .then().statusCode(415);
    }

    @Test
    void a_body_over_7_MiB_is_413() throws Exception {
        byte[] body = new byte[7 * 1024 * 1024 + 1];
        java.util.Arrays.fill(body, (byte) ' ');
        assertThat(Https.statusLineWhilePosting(body)).startsWith("HTTP/1.1 413");
    }

    @Test
    void a_body_just_under_the_cap_is_read_and_judged() {
        String padding = " ".repeat(6 * 1024 * 1024);
        Https.review(Reviews.tcpEntry("big-but-fine", "contract", "padded", 31002) + padding)
                .post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("big-but-fine"));
    }

    @Test
    void a_kind_meshguard_does_not_handle_is_allowed_without_patch() {
        String pod = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"pod-1",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"operation":"CREATE",
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"}}}}""";
        Https.review(pod).post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("pod-1"))
                .body("response.allowed", equalTo(true))
                .body("response.patch", nullValue())
                .body("response.patchType", nullValue())
                .body("response.warnings", nullValue());
    }

    @Test
    void an_operation_meshguard_does_not_judge_is_allowed() {
        String connect = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"c-1",
                 "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},"operation":"CONNECT"}}""";
        Https.review(connect).post("/validate")
                .then().statusCode(200)
                .body("response.allowed", equalTo(true));
    }

    @Test
    void a_malformed_service_entry_is_denied_with_422_not_allowed() {
        String body = Reviews.serviceEntry("v1", "bad-port", "CREATE", "contract", "bad",
                "{\"hosts\":[\"bad.example.com\"],\"ports\":[{\"number\":\"443\",\"protocol\":\"TCP\"}]}");
        Https.review(body).post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("bad-port"))
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(422))
                .body("response.status.message", containsString("spec.ports[0].number must be an integer"));
    }

    @Test
    void a_service_entry_istiod_refuses_is_denied_with_422_one_cause_per_field() {
        // istiod's ValidateServiceEntry: "invalid host *", ValidatePortName ("invalid port name: "), and for resolution
        // DNS without endpoints, ValidateFQDN on the host: three problems, three causes.
        String body = Reviews.serviceEntry("v1", "istiod-invalid", "CREATE", "contract", "refused",
                "{\"hosts\":[\"*\"],\"ports\":[{\"number\":443,\"protocol\":\"TLS\"}],\"resolution\":\"DNS\"}");
        Https.review(body).post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("istiod-invalid"))
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(422))
                .body("response.status.reason", equalTo("Invalid"))
                .body("response.status.details.causes.field",
                        contains("spec.hosts[0]", "spec.ports[0].name", "spec.hosts[0]"))
                .body("response.status.details.causes.message", hasItems("invalid host *", "invalid port name: "))
                .body("response.status.message", containsString("spec.ports[0].name: invalid port name"));
    }

    @Test
    void an_unknown_service_entry_version_is_allowed_with_a_warning_not_silently() {
        String body = Reviews.tcpEntry("v9", "contract", "future", 31003).replace("\"version\":\"v1\"", "\"version\":\"v9\"");
        Https.review(body).post("/validate")
                .then().statusCode(200)
                .body("response.allowed", equalTo(true))
                .body("response.warnings[0]", containsString("does not know ServiceEntry version v9"));
    }

    @Test
    void a_service_entry_over_the_object_limits_is_denied_naming_the_limit() {
        StringBuilder ports = new StringBuilder();
        for (int p = 0; p < 257; p++) {
            ports.append(p == 0 ? "" : ",").append("{\"number\":").append(32000 + p).append(",\"name\":\"tcp-").append(p)
                    .append("\",\"protocol\":\"TCP\"}");
        }
        String body = Reviews.serviceEntry("v1", "too-big", "CREATE", "contract", "big",
                "{\"hosts\":[\"big.example.com\"],\"ports\":[" + ports + "],\"resolution\":\"DNS\"}");
        Https.review(body).post("/validate")
                .then().statusCode(200)
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(403))
                .body("response.status.details.causes[0].reason", equalTo("ObjectTooLarge"))
                .body("response.status.message", containsString("spec.ports lists 257 items"));
    }

    @Test
    void an_old_object_naming_another_object_is_denied_with_400() {
        String body = Reviews.serviceEntry("v1", "forged-old", "UPDATE", "contract", "mine",
                "{\"hosts\":[\"mine.example.com\"],\"ports\":[{\"number\":31004,\"name\":\"tcp\",\"protocol\":\"TCP\"}],"
                        + "\"resolution\":\"DNS\"}")
                .replaceFirst("}}}\\s*$", "},\"oldObject\":{\"metadata\":{\"name\":\"theirs\",\"namespace\":\"contract\"},"
                        + "\"spec\":{\"hosts\":[\"theirs.example.com\"]}}}}");
        Https.review(body).post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("forged-old"))
                .body("response.allowed", equalTo(false))
                .body("response.status.code", equalTo(400))
                .body("response.status.reason", equalTo("BadRequest"))
                .body("response.status.details.causes[0].reason", equalTo("IdentityMismatch"))
                .body("response.status.message", containsString("'contract/theirs', not the object under review"));
    }

    @Test
    void a_create_with_only_generate_name_is_judged_and_not_learned() {
        String spec = "{\"hosts\":[\"gen.example.com\"],\"ports\":[{\"number\":31005,\"name\":\"tcp\",\"protocol\":\"TCP\"}],"
                + "\"resolution\":\"DNS\"}";
        String generated = Reviews.serviceEntry("v1", "generated", "CREATE", "contract", "gen-", spec)
                .replace("\"metadata\":{\"name\":\"gen-\"", "\"metadata\":{\"generateName\":\"gen-\"")
                .replace("\"name\":\"gen-\",\"namespace\"", "\"name\":\"\",\"namespace\"");
        Https.review(generated).post("/validate")
                .then().statusCode(200)
                .body("response.uid", equalTo("generated"))
                .body("response.allowed", equalTo(true));
        // Not learned: a second entry on the same port beside it is still allowed.
        Https.review(Reviews.serviceEntry("v1", "beside-generated", "CREATE", "contract", "beside",
                        spec.replace("gen.example.com", "beside.example.com")).replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true"))
                .post("/validate")
                .then().statusCode(200)
                .body("response.allowed", equalTo(true));
    }

    @Test
    void get_is_not_allowed() {
        Https.given().get("/validate").then().statusCode(405);
    }
}
