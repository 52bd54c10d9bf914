package io.meshguard.rules.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.ServiceEntrySpecReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServiceEntryReader;
import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.testing.Fixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validation together with the review, over an index: IST0177 (one host and port, different protocols) and how
 * {@link ServiceEntryValidation#decide} combines. Each file under {@code fixtures/validation/ist0177} holds the
 * entries in the cluster, the entry under review and the expected decision: allowed, the denials' codes, the IST0177
 * warnings as "field other", and fragments of their messages.
 */
class ValidatedReviewFixturesTest {

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
        JsonNode object = fixture.required("review");
        ServiceEntrySpec spec = ServiceEntrySpecReader.read(object, null);
        List<Finding> validation = ServiceEntryValidation.validate(spec);
        AtomicBoolean reviewed = new AtomicBoolean();
        Decision decision;
        if (ServiceEntryValidation.refuses(validation)) {
            decision = ServiceEntryValidation.refusal(validation);
        } else {
            ServiceEntryFacts entry = ServiceEntryReader.read(object, null, REVIEW_TIME);
            decision = index.atomically(snapshot -> ServiceEntryValidation.decide(validation, entry, snapshot, () -> {
                reviewed.set(true);
                return ServiceEntryReview.standard().review(entry, null, snapshot);
            }));
            assertThat(reviewed).as("a valid entry is reviewed").isTrue();
        }
        JsonNode expect = fixture.required("expect");
        if (expect.has("allowed")) {
            assertThat(decision.allowed()).as("allowed: %s", decision).isEqualTo(expect.get("allowed").asBoolean());
            assertThat(decision.denials().stream().map(Finding::code).distinct().toList())
                    .isEqualTo(Fixtures.texts(expect.path("denials")));
        }
        List<String> ist0177 = new ArrayList<>();
        for (Finding warning : decision.warnings()) {
            if (warning.code().equals(ConflictingProtocolAnalyzer.CODE)) {
                ist0177.add(warning.field() + " " + warning.other());
                assertThat(warning.summary()).hasSizeLessThanOrEqualTo(256);
            }
        }
        assertThat(ist0177).as("IST0177 warnings").isEqualTo(Fixtures.texts(expect.path("ist0177")));
        for (String fragment : Fixtures.texts(expect.path("messageContains"))) {
            assertThat(decision.warnings().stream().map(Finding::message).toList())
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
    }
}
