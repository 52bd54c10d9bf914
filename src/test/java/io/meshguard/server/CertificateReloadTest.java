package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * A renewed certificate is served without a restart: the files behind meshguard.tls.cert-file/key-file are
 * swapped on disk (as the kubelet does when a mounted Secret changes), and within quarkus.tls.reload-period
 * the TLS handshake presents the new certificate.
 */
@QuarkusTest
@TestProfile(CertificateReloadTest.RotatingFiles.class)
class CertificateReloadTest {

    static final Path DIR = Path.of("target/reload-tls");
    static final Path CERT_A = Path.of("src/test/resources/tls/tls.crt");
    static final Path KEY_A = Path.of("src/test/resources/tls/tls.key");
    static final Path CERT_B = Path.of("src/test/resources/tls/rotated/tls.crt");
    static final Path KEY_B = Path.of("src/test/resources/tls/rotated/tls.key");

    /** Starts meshguard on a copy of certificate A in target/reload-tls, re-read every 2 s. */
    public static class RotatingFiles implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Files.createDirectories(DIR);
                Files.copy(CERT_A, DIR.resolve("tls.crt"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(KEY_A, DIR.resolve("tls.key"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "meshguard.tls.cert-file", DIR.resolve("tls.crt").toAbsolutePath().toString(),
                    "meshguard.tls.key-file", DIR.resolve("tls.key").toAbsolutePath().toString(),
                    "quarkus.tls.reload-period", "2s");
        }
    }

    static String fingerprint(Certificate certificate) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    static String fingerprint(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return fingerprint(CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    /** The certificate the server presents in a fresh handshake (a new SSLContext, so no session is resumed). */
    static String served() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", Https.PORT)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return fingerprint(socket.getSession().getPeerCertificates()[0]);
        }
    }

    /** Replaces a file in one rename, as the kubelet's atomic writer does for a mounted Secret. */
    static void swap(Path source, Path target) throws IOException {
        Path staged = target.resolveSibling(target.getFileName() + ".staged");
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The served certificate, retrying failed handshakes: while the server builds its new SSL context after a
     * change, vert.x 4.5 drops the handshakes that arrive (a window of about 0.1 to 0.5 s, see
     * docs/operations.md), so one failed handshake here is not the behaviour under test.
     */
    static String servedEventually(long deadlineNanos) throws Exception {
        while (true) {
            try {
                return served();
            } catch (IOException e) {
                if (System.nanoTime() > deadlineNanos) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void servesTheRenewedCertificateWithoutARestart() throws Exception {
        String a = fingerprint(CERT_A);
        String b = fingerprint(CERT_B);
        assertThat(b).as("the two test certificates differ").isNotEqualTo(a);
        assertThat(servedEventually(System.nanoTime() + 20_000_000_000L)).as("certificate served at start").isEqualTo(a);

        swap(KEY_B, DIR.resolve("tls.key"));
        swap(CERT_B, DIR.resolve("tls.crt"));

        long deadline = System.nanoTime() + 15_000_000_000L;
        String seen = servedEventually(deadline);
        while (!seen.equals(b) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            seen = servedEventually(deadline);
        }
        assertThat(seen).as("certificate served within 15 s of the swap").isEqualTo(b);

        // Once renewed, it stays renewed and every handshake succeeds (past the next reloads, 2 s apart).
        long steady = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < steady) {
            assertThat(served()).isEqualTo(b);
            Thread.sleep(100);
        }
        Https.given().get("/q/health/live").then().statusCode(200);
    }
}
