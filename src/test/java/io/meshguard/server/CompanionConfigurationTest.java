package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshguard.companions.controller.Backoff;
import io.meshguard.companions.controller.LeaderElection;
import io.meshguard.companions.controller.ServerSideApplyWriter;
import io.meshguard.companions.controller.UpdateWriter;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The controller's parts as configuration assembles them, and the values it refuses, naming the key. */
class CompanionConfigurationTest {

    private static final String KEY = "meshguard.companions.controller.";

    @Test
    void the_defaults_are_server_side_apply_half_a_second_doubling_to_two_minutes_and_controller_runtimes_lease() {
        MeshguardConfig config = config(Map.of());

        assertThat(CompanionConfiguration.writer(config, null)).isInstanceOf(ServerSideApplyWriter.class);
        assertThat(CompanionConfiguration.backoff(config))
                .isEqualTo(new Backoff(Duration.ofMillis(500), Duration.ofMinutes(2)));
        assertThat(CompanionConfiguration.leaseTimings(config)).isEqualTo(
                new LeaderElection.Timings(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)));
    }

    @Test
    void each_key_reaches_its_part() {
        MeshguardConfig config = config(Map.of(KEY + "write-path", " Update ", KEY + "retry-first", "50ms",
                KEY + "retry-max", "400ms", KEY + "lease-duration", "1500ms", KEY + "lease-renew-deadline", "1s",
                KEY + "lease-retry-period", "200ms"));

        assertThat(CompanionConfiguration.writer(config, null)).isInstanceOf(UpdateWriter.class);
        assertThat(CompanionConfiguration.backoff(config))
                .isEqualTo(new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)));
        assertThat(CompanionConfiguration.leaseTimings(config)).isEqualTo(new LeaderElection.Timings(
                Duration.ofMillis(1500), Duration.ofSeconds(1), Duration.ofMillis(200)));
    }

    static Stream<Arguments> refused() {
        Consumer<MeshguardConfig> writer = config -> CompanionConfiguration.writer(config, null);
        Consumer<MeshguardConfig> backoff = CompanionConfiguration::backoff;
        Consumer<MeshguardConfig> lease = CompanionConfiguration::leaseTimings;
        return Stream.of(
                Arguments.of("write-path", "patch", writer, "write-path must be server-side-apply or update"),
                Arguments.of("retry-first", "0s", backoff, "retry-first must be positive"),
                Arguments.of("retry-max", "100ms", backoff, "retry-max (PT0.1S) must not be shorter than"),
                Arguments.of("lease-renew-deadline", "15s", lease,
                        "lease-duration (PT15S) > lease-renew-deadline (PT15S)"),
                Arguments.of("lease-retry-period", "9s", lease, "> 1.2 × lease-retry-period (PT9S) must hold"),
                Arguments.of("lease-retry-period", "-1s", lease, "lease-retry-period must be positive"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("refused")
    void a_value_the_controller_cannot_use_is_refused_with_the_key(String key, String value,
            Consumer<MeshguardConfig> part, String message) {
        MeshguardConfig config = config(Map.of(KEY + key, value));

        assertThatThrownBy(() -> part.accept(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(KEY).hasMessageContaining(message);
    }

    private static MeshguardConfig config(Map<String, String> values) {
        Map<String, String> properties = new HashMap<>(values);
        properties.put("meshguard.tls.cert-file", "tls.crt");
        properties.put("meshguard.tls.key-file", "tls.key");
        return new SmallRyeConfigBuilder()
                .withMapping(MeshguardConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(MeshguardConfig.class);
    }
}
