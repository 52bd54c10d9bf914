package io.meshguard.server;

import static io.meshguard.server.RawHttps.CHUNKED_HEAD;
import static io.meshguard.server.RawHttps.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client's fault over real HTTPS, with bytes no client library sends: each is answered with a 4xx and a closed
 * connection, counted as {@code meshguard_errors_total{type="client"}} and never as {@code type="internal"}, and
 * logs nothing at warning level or above. Then the protocol limits: a request head must arrive whole within
 * meshguard.head-timeout (5 s) while an idle kept-alive connection is left alone, and a client cannot renegotiate
 * TLS 1.2.
 */
@QuarkusTest
class HostileProtocolTest {

    @AfterEach
    void still_judges() {
        Https.review(dryRun("after-protocol", 41200))
                .post("/validate").then().statusCode(200)
                .body("response.uid", equalTo("after-protocol"))
                .body("response.allowed", equalTo(true));
    }

    static String dryRun(String uid, int port) {
        return Reviews.tcpEntry(uid, "protocol", "svc-" + uid, port).replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true");
    }

    /** 7 MiB + 64 KiB in 64 KiB chunks: over the body cap without a Content-Length to refuse up front. */
    static String overCapChunked() {
        StringBuilder body = new StringBuilder();
        String chunk = " ".repeat(65536);
        for (int i = 0; i < 7 * 16 + 1; i++) {
            body.append("10000\r\n").append(chunk).append("\r\n");
        }
        return body.append("0\r\n\r\n").toString();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("chunk size not hex", CHUNKED_HEAD + "zz\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 400", 10_000),
                Arguments.of("chunk size overflows", CHUNKED_HEAD + "FFFFFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n",
                        "HTTP/1.1 400", 10_000),
                Arguments.of("negative chunk size", CHUNKED_HEAD + "-5\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 400", 10_000),
                Arguments.of("chunk without its CRLF", CHUNKED_HEAD + "5\r\nhelloX0\r\n\r\n", "HTTP/1.1 400", 10_000),
                Arguments.of("256 KiB chunk extension", CHUNKED_HEAD + "5;" + "e".repeat(256 * 1024)
                        + "\r\nhello\r\n0\r\n\r\n", "HTTP/1.1 400", 10_000),
                Arguments.of("chunk extension with a bare LF", CHUNKED_HEAD + "5;a=\"\n\"\r\nhello\r\n0\r\n\r\n",
                        "HTTP/1.1 400", 10_000),
                Arguments.of("chunked body over the 7 MiB cap", CHUNKED_HEAD + overCapChunked(), "HTTP/1.1 413",
                        20_000),
                Arguments.of("Content-Length over the 7 MiB cap", "POST /validate HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 8000000\r\n\r\n{}", "HTTP/1.1 413", 10_000),
                Arguments.of("chunked body that stops mid-chunk", CHUNKED_HEAD + "100\r\n{\"a\":", "HTTP/1.1 408",
                        20_000),
                Arguments.of("Content-Length body that stops short", new String(RawHttps.post("{\"a\":\"b\"}", true),
                        StandardCharsets.ISO_8859_1).replace("Content-Length: 9", "Content-Length: 900"),
                        "HTTP/1.1 408", 20_000),
                // Heads vert.x refuses (in HTTP/1.0, not knowing the client's version) before a handler sees them.
                Arguments.of("request line over 4096 bytes", "POST /validate?" + "q".repeat(5000)
                        + " HTTP/1.1\r\nHost: localhost\r\n\r\n", "HTTP/1.0 414", 10_000),
                Arguments.of("headers over 20 KiB", "POST /validate HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                        + "b".repeat(24 * 1024) + "\r\n\r\n", "HTTP/1.1 431", 10_000),
                Arguments.of("request line that is not HTTP", "\u0001\u0002 not http\r\n\r\n", "HTTP/1.0 400", 10_000));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void a_client_fault_is_a_4xx_counted_as_the_clients_and_logged_quietly(String why, String bytes,
            String statusLine, int readMillis) throws Exception {
        double internal = RawHttps.errors("internal");
        double client = RawHttps.errors(ClientFaults.TYPE);
        RawHttps.Exchange exchange;
        try (RawHttps.Warnings warnings = new RawHttps.Warnings()) {
            exchange = RawHttps.send(ascii(bytes), readMillis);
            // The worker that was reading the body maps its failure after the connection closed.
            RawHttps.awaitCount(ClientFaults.TYPE, client + 1);
            assertThat(warnings.seen()).as("nothing at warning level or above").isEmpty();
        }
        RawHttps.assertAnswered(exchange, statusLine);
        if (statusLine.endsWith("400") && !why.contains("not HTTP")
                || statusLine.endsWith("408")) { // vert.x's own refusals of a head, and the body limit's 413, have none
            assertThat(exchange.response()).as("the error contract's body").contains("\"code\":" + statusLine.substring(9));
        }
        assertThat(RawHttps.errors("internal")).as("internal errors").isEqualTo(internal);
        assertThat(RawHttps.errors(ClientFaults.TYPE)).as("client faults").isEqualTo(client + 1);
    }

    @Test
    void a_request_head_that_never_finishes_is_cut_off_at_the_head_timeout() throws Exception {
        double client = RawHttps.errors(ClientFaults.TYPE);
        try (SSLSocket socket = ConnectionAbuseTest.tlsSocket()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(ascii("POST /validate HTTP/1.1\r\nHost: localhost\r\nX-Slow: "));
            out.flush();
            long started = System.nanoTime();
            socket.setSoTimeout(1);
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            // One header byte every 200 ms: the idle timeout (120 s) never fires on this.
            boolean closed = false;
            while (!closed && (System.nanoTime() - started) / 1_000_000 < 30_000) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException cut) {
                    closed = true;
                    break;
                }
                try {
                    int b;
                    while ((b = in.read()) >= 0) {
                        got.write(b);
                    }
                    closed = true;
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // still open
                } catch (IOException reset) {
                    closed = true;
                }
                Thread.sleep(200);
            }
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertThat(closed).as("cut off").isTrue();
            assertThat(millis).as("ms until cut off (head timeout 5 s)").isBetween(4_500L, 9_000L);
            assertThat(got.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408");
        }
        RawHttps.awaitCount(ClientFaults.TYPE, client + 1);
        assertThat(RawHttps.errors(ClientFaults.TYPE)).isEqualTo(client + 1);
    }

    @Test
    void an_idle_kept_alive_connection_outlives_the_head_timeout_and_serves_a_second_review() throws Exception {
        try (SSLSocket socket = ConnectionAbuseTest.tlsSocket()) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(RawHttps.post(dryRun("keep-1", 41201), false));
            out.flush();
            assertThat(RawHttps.readResponse(in)).startsWith("HTTP/1.1 200").contains("\"uid\":\"keep-1\"");
            Thread.sleep(6_500); // longer than the head timeout: idle between requests is not a slow head
            out.write(RawHttps.post(dryRun("keep-2", 41202), false));
            out.flush();
            assertThat(RawHttps.readResponse(in)).startsWith("HTTP/1.1 200").contains("\"uid\":\"keep-2\"");
        }
    }

    @Test
    void a_client_cannot_renegotiate_tls_1_2() throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.2");
        context.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", Https.PORT)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.2");
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(RawHttps.post(dryRun("before-reneg", 41203), false));
            out.flush();
            assertThat(RawHttps.readResponse(in)).startsWith("HTTP/1.1 200");

            // A second handshake on the open connection: refused, and the connection is done for.
            Throwable refused = catchThrowable(() -> {
                socket.startHandshake();
                out.write(RawHttps.post(dryRun("after-reneg", 41204), false));
                out.flush();
                String answer = RawHttps.readResponse(in);
                throw new AssertionError("renegotiated and answered: " + answer.lines().findFirst().orElse(""));
            });
            assertThat(refused).as("the renegotiation attempt").isInstanceOf(IOException.class);
        }
        // A fresh TLS 1.2 connection is served as before.
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", Https.PORT)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(RawHttps.post(dryRun("fresh-tls12", 41205), true));
            socket.getOutputStream().flush();
            assertThat(RawHttps.readResponse(socket.getInputStream())).startsWith("HTTP/1.1 200")
                    .contains("\"uid\":\"fresh-tls12\"");
        }
    }

    /** Every warning and message in an answer, wherever the error contract or an AdmissionReview puts one. */
    static java.util.List<String> texts(String json) throws Exception {
        com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(root.path("message").asText(""));
        root.path("response").path("warnings").forEach(w -> out.add(w.asText()));
        out.add(root.path("response").path("status").path("message").asText(""));
        root.path("response").path("status").path("details").path("causes")
                .forEach(c -> out.add(c.path("message").asText()));
        return out;
    }

    @Test
    void every_warning_and_message_is_bounded_whatever_the_input() throws Exception {
        String mib = "x\n\u0007".repeat(1 << 18); // 768 Ki characters, with a line break and a bell in each three
        String escaped = mib.replace("\n", "\\n").replace("\u0007", "\\u0007");
        String entry = Reviews.tcpEntry("bounds", "protocol", "bounds", 41220);
        java.util.Map<String, String> inputs = new java.util.LinkedHashMap<>();
        inputs.put("review kind", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"" + escaped + "\"}");
        inputs.put("operation", entry.replace("\"CREATE\"", "\"" + escaped + "\""));
        inputs.put("ServiceEntry version", entry.replace("\"version\":\"v1\"", "\"version\":\"" + escaped + "\"")
                .replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true"));
        inputs.put("port number", Reviews.serviceEntry("v1", "bounds-port", "CREATE", "protocol", "bounds",
                "{\"hosts\":[\"b.example.com\"],\"ports\":[{\"number\":\"" + escaped + "\",\"protocol\":\"TCP\"}]}"));
        inputs.put("host", Reviews.serviceEntry("v1", "bounds-host", "CREATE", "protocol", "bounds",
                "{\"hosts\":[\"" + escaped + "\"],\"ports\":[{\"number\":41221,\"protocol\":\"TCP\"}]}")
                .replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true"));
        boolean clipped = false;
        for (var input : inputs.entrySet()) {
            java.net.http.HttpResponse<String> answer = Https.rawPost(input.getValue().getBytes(StandardCharsets.UTF_8));
            assertThat(answer.statusCode()).as(input.getKey()).isNotEqualTo(500);
            assertThat(answer.body().length()).as("%s: answer length", input.getKey()).isLessThan(64 * 1024);
            for (String text : texts(answer.body())) {
                assertThat(text.length()).as("%s: %s", input.getKey(), text.substring(0, Math.min(100, text.length())))
                        .isLessThanOrEqualTo(io.meshguard.admission.ResponseText.MESSAGE);
                assertThat(text).as("%s: no control characters but line breaks", input.getKey())
                        .doesNotContain("\u0007", "\r");
                clipped |= text.endsWith("...");
            }
            for (String warning : texts(answer.body()).subList(1, 1 + answerWarnings(answer.body()))) {
                assertThat(warning.length()).as("%s: warning", input.getKey())
                        .isLessThanOrEqualTo(io.meshguard.admission.ResponseText.WARNING);
                assertThat(warning).doesNotContain("\n");
            }
        }
        assertThat(clipped).as("some input was long enough to be clipped").isTrue();
    }

    static int answerWarnings(String json) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).path("response").path("warnings").size();
    }

    private static final class TrustAll implements javax.net.ssl.X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
