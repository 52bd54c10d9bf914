package io.meshguard.server;

import static io.meshguard.server.RawHttps.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * A review whose body is still arriving when the request deadline (1 s here) passes gets one answer, the 408, and
 * nothing more: the body's last bytes may still be read after the 408 went out (the body is read in pieces, on
 * demand, so they can sit in the server's buffers), and the review they complete is neither judged nor answered a
 * second time, nothing is logged at WARN or above, and the fault is counted once, as the client's.
 */
@QuarkusTest
@TestProfile(RequestDeadlineTest.ShortDeadline.class)
class RequestDeadlineTest {

    static final int PIECES = 10;
    static final int PIECE = 8192;

    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("meshguard.request-deadline", "1s", "quarkus.http.read-timeout", "30s");
        }
    }

    /** What one trial saw: the status line, and how the counters moved. */
    record Trial(int gapMillis, String status, double client, double badRequest, double internal, double entries,
            List<String> warnings) {
    }

    @Test
    void a_body_completed_around_the_deadline_gets_one_answer_and_is_counted_once() throws Exception {
        List<Trial> trials = new ArrayList<>();
        // The last piece lands a little before, at, or a little after the deadline: around it, the 408 goes out
        // while the rest of the body is still being read.
        int[] gaps = {80, 90, 95, 98, 100, 102, 105, 110, 120};
        for (int i = 0; i < gaps.length; i++) {
            trials.add(trial(i, gaps[i]));
        }
        for (Trial trial : trials) {
            assertThat(trial.warnings()).as("nothing at WARN or above: %s", trial).isEmpty();
            assertThat(trial.internal()).as("no internal error: %s", trial).isZero();
            assertThat(trial.badRequest()).as("not also a bad request: %s", trial).isZero();
            if (trial.status().startsWith("HTTP/1.1 408")) {
                assertThat(trial.client()).as("one client fault: %s", trial).isEqualTo(1);
                assertThat(trial.entries()).as("a review answered 408 leaves no entry behind: %s", trial).isZero();
            } else {
                assertThat(trial.status()).as("arrived in time: judged and allowed: %s", trial)
                        .startsWith("HTTP/1.1 200");
                assertThat(trial.client()).as("no client fault: %s", trial).isZero();
                assertThat(trial.entries()).as("the allowed entry is learned: %s", trial).isEqualTo(1);
            }
        }
        assertThat(trials).as("some trials run past the deadline").anyMatch(t -> t.status().startsWith("HTTP/1.1 408"));
    }

    private static Trial trial(int n, int gapMillis) throws Exception {
        String review = Reviews.tcpEntry("deadline-" + n, "deadline", "svc" + n, 42_000 + n);
        byte[] json = review.getBytes(StandardCharsets.UTF_8);
        byte[] spaces = new byte[PIECE];
        Arrays.fill(spaces, (byte) ' ');
        double client = RawHttps.errors(ClientFaults.TYPE);
        double badRequest = RawHttps.errors("bad_request");
        double internal = RawHttps.errors("internal");
        double entries = entries();
        String response;
        List<String> warnings;
        try (RawHttps.Warnings seen = new RawHttps.Warnings();
                SSLSocket socket = ConnectionAbuseTest.tlsSocket()) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(ascii("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (json.length + PIECES * PIECE) + "\r\n\r\n"));
            out.write(json);
            out.flush();
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < PIECES; i++) {
                        Thread.sleep(gapMillis);
                        out.write(spaces);
                        out.flush();
                    }
                } catch (Exception closedUnderUs) {
                    // answered and closed before the last piece
                }
            });
            writer.start();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            RawHttps.readUntilClosed(socket.getInputStream(), got);
            writer.join(10_000);
            // Whatever the server still does with the request happens within moments of the close.
            Thread.sleep(1_500);
            response = got.toString(StandardCharsets.ISO_8859_1);
            warnings = seen.seen();
        }
        int end = response.indexOf("\r\n");
        return new Trial(gapMillis, end < 0 ? response : response.substring(0, end),
                RawHttps.errors(ClientFaults.TYPE) - client, RawHttps.errors("bad_request") - badRequest,
                RawHttps.errors("internal") - internal, entries() - entries, warnings);
    }

    /** {@code meshguard_index_entries} now. */
    private static double entries() {
        String metrics = Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^meshguard_index_entries(\\{[^}]*\\})? ([0-9.Ee+]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
