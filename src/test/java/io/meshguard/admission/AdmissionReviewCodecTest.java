package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Found by HostileReviewPropertiesTest: a ServiceEntry review whose request.kind had the wrong shape was read as "a kind
 * meshguard does not handle" and allowed unchecked. What is under review must be readable, or the answer is 400.
 */
class AdmissionReviewCodecTest {

    static final String REVIEW = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE",
             "kind":KIND,"dryRun":DRY,"namespace":"ns1","name":"a",
             "object":{"metadata":{"name":"a","namespace":"ns1"},"spec":{"ports":[{"number":443,"protocol":"TCP"}]}}}}""";

    final AdmissionReviewCodec codec = new AdmissionReviewCodec(new ObjectMapper());

    static byte[] body(String kind, String dryRun) {
        return REVIEW.replace("KIND", kind).replace("DRY", dryRun).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "request.kind {0}")
    @CsvSource(delimiter = '|', value = {
        "7                                                                    | request.kind must be an object",
        "[\"ServiceEntry\"]                                                   | request.kind must be an object",
        "{\"group\":7,\"version\":\"v1\",\"kind\":\"ServiceEntry\"}           | request.kind.group must be a string",
        "{\"group\":\"networking.istio.io\",\"version\":[],\"kind\":\"ServiceEntry\"} | request.kind.version must be a string",
        "{\"group\":\"networking.istio.io\",\"version\":\"v1\",\"kind\":{}}   | request.kind.kind must be a string",
        "{\"group\":\"networking.istio.io\",\"version\":\"v1\"}               | request.kind.kind is missing",
    })
    void an_unreadable_request_kind_is_400_not_an_unchecked_allow(String kind, String message) {
        assertThatThrownBy(() -> codec.read(body(kind, "false")))
                .isInstanceOf(BadReviewException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "dryRun {0}")
    @CsvSource({"\"true\"", "1", "{}"})
    void a_dry_run_that_is_not_a_boolean_is_400(String dryRun) {
        String kind = "{\"group\":\"networking.istio.io\",\"version\":\"v1\",\"kind\":\"ServiceEntry\"}";
        assertThatThrownBy(() -> codec.read(body(kind, dryRun)))
                .isInstanceOf(BadReviewException.class).hasMessageContaining("request.dryRun must be true or false");
    }

    @ParameterizedTest(name = "dryRun {0}")
    @CsvSource({"true", "false", "null"})
    void well_formed_kind_and_dry_run_are_read(String dryRun) {
        String kind = "{\"group\":\"networking.istio.io\",\"version\":\"v1\",\"kind\":\"ServiceEntry\"}";
        AdmissionRequestView view = codec.read(body(kind, dryRun));
        assertThat(view.isKind("networking.istio.io", "ServiceEntry")).isTrue();
        assertThat(view.dryRun()).isEqualTo(dryRun.equals("true"));
    }
}
