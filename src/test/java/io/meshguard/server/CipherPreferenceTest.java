package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's TLS preference, as the image sets it ({@code jdk.tls.server.cipherSuites}, the same in the tests):
 * ChaCha20-Poly1305 whenever the client offers it, whatever the client's own order; AES-GCM for a client that
 * offers nothing else (a FIPS build); no CBC.
 */
@QuarkusTest
class CipherPreferenceTest {

    static Stream<Arguments> clients() {
        return Stream.of(
                Arguments.of("TLS 1.3, AES-GCM first, as Go's client on a CPU with AES instructions", "TLSv1.3",
                        new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                            "TLS_CHACHA20_POLY1305_SHA256"}, "TLS_CHACHA20_POLY1305_SHA256"),
                Arguments.of("TLS 1.3, AES-GCM only, as a FIPS client", "TLSv1.3",
                        new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}, "TLS_AES_128_GCM_SHA256"),
                Arguments.of("TLS 1.3, AES-256 only", "TLSv1.3",
                        new String[] {"TLS_AES_256_GCM_SHA384"}, "TLS_AES_256_GCM_SHA384"),
                Arguments.of("TLS 1.2, ECDHE with AES-GCM first", "TLSv1.2",
                        new String[] {"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
                        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
                Arguments.of("TLS 1.2, ECDHE with AES-GCM only", "TLSv1.2",
                        new String[] {"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
                        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clients")
    void the_server_picks(String client, String protocol, String[] offered, String picked) throws Exception {
        try (SSLSocket socket = offering(protocol, offered)) {
            socket.startHandshake();
            assertThat(socket.getSession().getCipherSuite()).isEqualTo(picked);
        }
    }

    @Test
    void a_client_offering_only_cbc_is_refused() throws Exception {
        try (SSLSocket socket = offering("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")) {
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLHandshakeException.class);
        }
    }

    private static SSLSocket offering(String protocol, String... suites) throws Exception {
        SSLContext context = ConnectionAbuseTest.trustingAnyCertificate();
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", Https.PORT);
        socket.setSoTimeout(10_000);
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setEnabledCipherSuites(suites);
        return socket;
    }
}
