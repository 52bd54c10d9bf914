package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.testing.Fixtures;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listener model as a table of cases transcribed from Istio's own tests: each file under
 * {@code fixtures/listener} names the Istio test it comes from ({@code istio.file}, {@code istio.test},
 * {@code istio.case}), holds the same services as ServiceEntries, and expects what istiod builds: the drop as a
 * denial (with who keeps the listener), a harmless sharing as an allow. The expectations are read the same way
 * as the collision table's.
 */
class ListenerFixturesTest {

    static Stream<Arguments> fixtures() {
        return Fixtures.in("listener");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void decides_as_istiod_builds(String file, JsonNode fixture) {
        JsonNode istio = fixture.required("istio");
        assertThat(istio.required("file").asText()).as("Istio source file").isNotBlank();
        assertThat(istio.required("test").asText()).as("Istio test or function").isNotBlank();
        assertThat(istio.required("case").asText()).as("Istio case").isNotBlank();
        CollisionFixturesTest.check(fixture);
    }
}
