package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * Idle connections, slow-loris headers and clients trickling a 7 MiB body do not starve normal reviews, and a
 * body that has not arrived within meshguard.request-deadline (5 s in the test profile) loses its connection.
 */
@QuarkusTest
class ConnectionAbuseTest {

    static final int IDLE = 200;
    static final int SLOW_BODIES = 5;
    static final int SLOW_HEADERS = 5;
    /**
     * Starved, a review would wait behind the tricklers for the 5 s request deadline; half of that leaves room for
     * a busy 2-core runner without letting starvation pass.
     */
    static final long REVIEW_BOUND_MILLIS = 2500;

    static SSLSocket tlsSocket() throws Exception {
        SSLContext context = trustingAnyCertificate();
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", Https.PORT);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    /** A client context that takes the test server's self-signed certificate, or any other. */
    static SSLContext trustingAnyCertificate() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }

    @Test
    void normal_reviews_are_answered_while_idle_slow_and_trickling_clients_hold_connections() throws Exception {
        List<SSLSocket> idle = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService abusers = Executors.newFixedThreadPool(SLOW_BODIES + SLOW_HEADERS);
        List<Future<Long>> trickles = new ArrayList<>();
        try {
            for (int i = 0; i < IDLE; i++) {
                idle.add(tlsSocket());
            }
            for (int i = 0; i < SLOW_BODIES; i++) {
                trickles.add(abusers.submit(() -> trickleBody(stop)));
            }
            for (int i = 0; i < SLOW_HEADERS; i++) {
                abusers.submit(() -> trickleHeaders(stop));
            }
            Thread.sleep(500);

            // Normal reviews, one after another, while all of that goes on.
            long worst = 0;
            for (int i = 0; i < 20; i++) {
                long started = System.nanoTime();
                // Dry runs on ports no other test uses: the test server and its index are shared.
                HttpResponse<String> response = Https.rawPost(Reviews.tcpEntry("normal-" + i, "abuse", "svc-" + i,
                        41000 + i).replace("\"CREATE\"", "\"CREATE\",\"dryRun\":true").getBytes(StandardCharsets.UTF_8));
                long millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("\"uid\":\"normal-" + i + "\"", "\"allowed\":true");
                worst = Math.max(worst, millis);
                Thread.sleep(100);
            }
            assertThat(worst).as("the slowest normal review, in ms").isLessThan(REVIEW_BOUND_MILLIS);

            // The trickling bodies are cut off at the request deadline (5 s here), long before 7 MiB arrive.
            for (Future<Long> trickle : trickles) {
                long cutAfter = trickle.get(15, TimeUnit.SECONDS);
                assertThat(cutAfter).as("ms until the trickling connection was closed").isBetween(4_000L, 9_000L);
            }
        } finally {
            stop.set(true);
            abusers.shutdownNow();
            for (SSLSocket socket : idle) {
                socket.close();
            }
        }
    }

    /** Declares a 7 MiB body and sends 1 KiB every 50 ms; returns how long until the server closed on it. */
    static long trickleBody(AtomicBoolean stop) throws Exception {
        try (SSLSocket socket = tlsSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (7 * 1024 * 1024) + "\r\n\r\n{\"a\":\"").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long started = System.nanoTime();
            byte[] chunk = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(1);
            while (!stop.get()) {
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException closed) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                try {
                    if (in.read() < 0) {
                        return (System.nanoTime() - started) / 1_000_000;
                    }
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // still open
                } catch (IOException closed) {
                    return (System.nanoTime() - started) / 1_000_000;
                }
                Thread.sleep(50);
            }
            return -1;
        }
    }

    /** Slow-loris: a request line, then one header byte every 200 ms, never finishing the headers. */
    static Void trickleHeaders(AtomicBoolean stop) throws Exception {
        try (SSLSocket socket = tlsSocket()) {
            OutputStream out = socket.getOutputStream();
            out.write("POST /validate HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            while (!stop.get()) {
                out.write('a');
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException closed) {
            // the server may close it: fine
        }
        return null;
    }
}
