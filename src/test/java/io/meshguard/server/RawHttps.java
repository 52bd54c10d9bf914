package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * Bytes a client library would refuse to send, over a real TLS socket to the test server; the error counters; and the
 * log records of warning level and above while a case runs.
 */
final class RawHttps {

    private RawHttps() {
    }

    static final String CHUNKED_HEAD = "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n";

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** What came back, and how long until the server closed the connection (or the read gave up). */
    record Exchange(String response, long millis, boolean closed) {
        String statusLine() {
            int end = response.indexOf("\r\n");
            return end < 0 ? response : response.substring(0, end);
        }
    }

    /**
     * Writes {@code bytes} (on another thread, so that a server answering before the end is heard), then reads until
     * the server closes, at most {@code readMillis}.
     */
    static Exchange send(byte[] bytes, int readMillis) throws Exception {
        try (SSLSocket socket = ConnectionAbuseTest.tlsSocket()) {
            socket.setSoTimeout(readMillis);
            OutputStream out = socket.getOutputStream();
            long started = System.nanoTime();
            Thread writer = new Thread(() -> {
                try {
                    out.write(bytes);
                    out.flush();
                } catch (IOException closedUnderUs) {
                    // the server may answer and close before the last byte
                }
            });
            writer.start();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean closed = readUntilClosed(socket.getInputStream(), got);
            writer.join(10_000);
            return new Exchange(got.toString(StandardCharsets.ISO_8859_1), (System.nanoTime() - started) / 1_000_000,
                    closed);
        }
    }

    /** True when the server closed the connection (end of stream or reset), false when the read timed out. */
    static boolean readUntilClosed(InputStream in, ByteArrayOutputStream got) {
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                got.write(buffer, 0, n);
            }
            return true;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** One HTTP/1.1 response read off a kept-alive connection (content-length framed). */
    static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        String text = "";
        while (!text.endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + head.size() + " bytes of response head");
            }
            head.write(b);
            text = head.toString(StandardCharsets.ISO_8859_1);
        }
        Matcher length = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(text);
        int size = length.find() ? Integer.parseInt(length.group(1)) : 0;
        return text + new String(in.readNBytes(size), StandardCharsets.UTF_8);
    }

    static byte[] post(String body, boolean close) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ascii("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: "
                + bytes.length + "\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n" + body);
    }

    /** {@code meshguard_errors_total{type=...}} now, 0 when never counted. */
    static double errors(String type) {
        String metrics = Https.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("meshguard_errors_total\\{type=\"" + Pattern.quote(type) + "\"} ([0-9.Ee+]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Waits (at most 10 s) for a counter to reach {@code atLeast}: some faults are counted after the connection closed. */
    static void awaitCount(String type, double atLeast) {
        io.meshguard.testing.Await.until("meshguard_errors_total{type=\"" + type + "\"} >= " + atLeast,
                java.time.Duration.ofSeconds(10), () -> errors(type) >= atLeast);
    }

    /** Collects the server's log records of warning level or above (JBoss ERROR is above SEVERE's value). */
    static final class Warnings extends Handler implements AutoCloseable {
        private final List<String> records = new ArrayList<>();
        private final Logger root = Logger.getLogger("");

        Warnings() {
            root.addHandler(this);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                records.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " / " + record.getThrown()));
            }
        }

        synchronized List<String> seen() {
            return List.copyOf(records);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            root.removeHandler(this);
        }
    }

    static void assertAnswered(Exchange exchange, String statusLinePrefix) {
        assertThat(exchange.statusLine()).as("answer: %s", exchange.response()).startsWith(statusLinePrefix);
        assertThat(exchange.closed()).as("connection closed after the answer").isTrue();
    }
}
