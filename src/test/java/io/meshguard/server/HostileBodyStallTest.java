package io.meshguard.server;

import static io.meshguard.server.RawHttps.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A body that stalls past the read timeout (1 s here, shorter than the request deadline): the server closes the
 * connection, and that is the client's fault, counted as such, not an internal error with a stack trace.
 */
@QuarkusTest
@TestProfile(HostileBodyStallTest.ShortReadTimeout.class)
class HostileBodyStallTest {

    public static class ShortReadTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.read-timeout", "1s", "meshguard.request-deadline", "20s");
        }
    }

    @Test
    void a_body_that_stalls_past_the_read_timeout_closes_the_connection_as_the_clients_fault() throws Exception {
        double internal = RawHttps.errors("internal");
        double client = RawHttps.errors(ClientFaults.TYPE);
        RawHttps.Exchange exchange;
        try (RawHttps.Warnings warnings = new RawHttps.Warnings()) {
            exchange = RawHttps.send(ascii("POST /validate HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 900\r\n\r\n{\"apiVersion\":"), 15_000);
            RawHttps.awaitCount(ClientFaults.TYPE, client + 1);
            assertThat(warnings.seen()).as("nothing at warning level or above").isEmpty();
        }
        assertThat(exchange.closed()).as("closed").isTrue();
        assertThat(exchange.millis()).as("ms until closed (read timeout 1 s, deadline 20 s)").isBetween(900L, 6_000L);
        assertThat(exchange.response()).as("no 500").doesNotContain(" 500 ");
        assertThat(RawHttps.errors("internal")).as("internal errors").isEqualTo(internal);
        assertThat(RawHttps.errors(ClientFaults.TYPE)).as("client faults").isEqualTo(client + 1);

        // The server still serves.
        assertThat(Https.rawPost(Reviews.tcpEntry("after-stall", "stall", "svc", 41210)
                .replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true").getBytes()).statusCode()).isEqualTo(200);
    }
}
