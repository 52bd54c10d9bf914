package io.meshguard.rules.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ServiceEntrySpecReader;
import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import io.meshguard.testing.Fixtures;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * istiod's per-object ServiceEntry validation as a table. Each file under {@code fixtures/validation} is one case:
 * the object as the API server stores it, the case it comes from ({@code source}), and what is expected:
 * <ul>
 *   <li>{@code valid} and {@code warning}: the two facts istiod's own table asserts, compared with istiod's part of
 *       the validation alone (errors or not, warnings or not);</li>
 *   <li>{@code findings}: every finding of the whole validation (istiod's checks and the IST0134 analyzer), in order,
 *       as "SEVERITY code field";</li>
 *   <li>{@code messageContains}: fragments of the findings' messages;</li>
 *   <li>{@code readError}: instead of findings, the object cannot be read, and the error says this.</li>
 * </ul>
 */
class ValidationFixturesTest {

    static Stream<Arguments> fixtures() {
        return Fixtures.in("validation");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void validates_as_the_fixture_says(String file, JsonNode fixture) {
        assertThat(fixture.path("source").asText()).as("each case names its source").isNotBlank();
        JsonNode expect = fixture.required("expect");
        if (expect.has("readError")) {
            assertThatThrownBy(() -> ServiceEntrySpecReader.read(fixture.required("object"), null))
                    .isInstanceOf(MalformedObjectException.class)
                    .hasMessageContaining(expect.get("readError").asText());
            return;
        }
        ServiceEntrySpec entry = ServiceEntrySpecReader.read(fixture.required("object"), null);
        Map<String, String> proxyMetadata = new HashMap<>();
        fixture.path("proxyMetadata").fields().forEachRemaining(f -> proxyMetadata.put(f.getKey(), f.getValue().asText()));
        AnalyzerSettings settings = AnalyzerSettings.fromProxyMetadata(proxyMetadata);

        if (expect.has("valid")) {
            List<Finding> istiod = ServiceEntryValidation.istiod(entry);
            assertThat(istiod.stream().noneMatch(f -> f.severity() == Severity.DENY)).as("valid (istiod's errors: %s)",
                    messages(istiod)).isEqualTo(expect.get("valid").asBoolean());
            assertThat(istiod.stream().anyMatch(f -> f.severity() == Severity.WARN)).as("warning (istiod's: %s)",
                    messages(istiod)).isEqualTo(expect.get("warning").asBoolean());
        }
        List<Finding> findings = ServiceEntryValidation.validate(entry, settings);
        assertThat(findings.stream().map(f -> f.severity() + " " + f.code() + " " + f.field()).toList())
                .as("findings: %s", messages(findings))
                .containsExactlyElementsOf(Fixtures.texts(expect.required("findings")));
        for (Finding finding : findings) {
            assertThat(finding.causes()).as("one cause per problem").hasSize(1);
            assertThat(finding.causes().get(0).field()).isEqualTo(finding.field());
            assertThat(finding.causes().get(0).message()).isNotBlank();
            assertThat(finding.message()).startsWith(finding.field() + ": ");
            assertThat(finding.summary()).hasSizeLessThanOrEqualTo(256);
            assertThat(ServiceEntryValidation.CODES).contains(finding.code());
        }
        for (String fragment : Fixtures.texts(expect.path("messageContains"))) {
            assertThat(messages(findings)).as("a message contains '%s'", fragment)
                    .anySatisfy(m -> assertThat(m).contains(fragment));
        }
    }

    private static List<String> messages(List<Finding> findings) {
        return findings.stream().map(Finding::message).toList();
    }
}
