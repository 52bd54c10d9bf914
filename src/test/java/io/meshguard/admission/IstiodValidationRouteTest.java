package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.validation.AnalyzerSettings;
import io.meshguard.rules.validation.ConflictingProtocolAnalyzer;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * istiod's validation as a step of the ServiceEntry route, before the index's review: IST0177 (one host and port,
 * different protocols) and how the two combine. Each file under {@code fixtures/validation/ist0177} holds the
 * entries in the cluster, the entry under review and the expected decision: allowed, the denials' codes, the IST0177
 * warnings as "field other", and fragments of their messages. A denied entry must not be recorded in the index.
 */
class IstiodValidationRouteTest {

    static final long REVIEW_TIME = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    static Stream<Arguments> fixtures() {
        return Fixtures.in("validation/ist0177");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decides_as_the_fixture_says(String file, JsonNode fixture) {
        assertThat(fixture.path("source").asText()).isNotBlank();
        ServiceEntryIndex index = new ServiceEntryIndex(() -> REVIEW_TIME, 30_000);
        for (JsonNode existing : fixture.path("existing")) {
            index.confirm(ServiceEntryReader.read(existing, null, REVIEW_TIME));
        }
        KindRoute<ServiceEntryFacts> route = IstioNetworking.serviceEntries(() -> REVIEW_TIME)
                .validator(new IstiodValidationValidator(index, () -> AnalyzerSettings.DEFAULT))
                .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                        ServiceEntryIndexValidator.Learning.LEARN))
                .build();
        JsonNode object = fixture.required("review");
        int before = index.size();
        Outcome outcome = route.validate(new AdmissionRequestView("admission.k8s.io/v1", "uid-1",
                IstioNetworking.GROUP, "v1", IstioNetworking.SERVICE_ENTRY, "serviceentries", Operation.CREATE,
                object.path("metadata").path("namespace").asText(), object.path("metadata").path("name").asText(),
                false, object, null));

        JsonNode expect = fixture.required("expect");
        if (expect.has("allowed")) {
            assertThat(outcome.allowed()).as("allowed: %s", outcome.decision())
                    .isEqualTo(expect.get("allowed").asBoolean());
            assertThat(outcome.denials().stream().map(Finding::code).distinct().toList())
                    .isEqualTo(Fixtures.texts(expect.path("denials")));
            assertThat(index.size()).as("recorded only when allowed").isEqualTo(before + (outcome.allowed() ? 1 : 0));
        }
        List<String> ist0177 = new ArrayList<>();
        for (Finding warning : outcome.warnings()) {
            if (warning.code().equals(ConflictingProtocolAnalyzer.CODE)) {
                ist0177.add(warning.field() + " " + warning.other());
                assertThat(warning.summary()).hasSizeLessThanOrEqualTo(256);
            }
        }
        assertThat(ist0177).as("IST0177 warnings").isEqualTo(Fixtures.texts(expect.path("ist0177")));
        for (String fragment : Fixtures.texts(expect.path("messageContains"))) {
            assertThat(outcome.warnings().stream().map(Finding::message).toList())
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
    }
}
