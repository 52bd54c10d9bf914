package io.meshguard.server;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Talks to the running test server over real HTTPS (the test profile's port), with its self-signed certificate. */
final class Https {

    /** The test profile's HTTPS port; -Dquarkus.http.test-ssl-port moves both the server and these clients. */
    static final int PORT = Integer.getInteger("quarkus.http.test-ssl-port", 8444);

    private Https() {
    }

    static RequestSpecification given() {
        return RestAssured.given()
                .baseUri("https://localhost")
                .port(PORT)
                .relaxedHTTPSValidation();
    }

    static RequestSpecification review(String body) {
        return given().contentType("application/json").body(body);
    }

    /** A client that trusts the test certificate, for what RestAssured cannot do (parallel posts, huge bodies). */
    static HttpClient client() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream pem = Files.newInputStream(Path.of("src/test/resources/tls/tls.crt"))) {
                trust.setCertificateEntry("meshguard", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot trust the test certificate", e);
        }
    }

    /**
     * Posts over a raw TLS socket, reading the answer while the body is still being written: the server
     * answers an oversized body with 413 and closes, which most clients report as a broken pipe.
     */
    static String statusLineWhilePosting(byte[] body) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {new TrustAll()}, null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
                .createSocket("localhost", PORT)) {
            socket.setSoTimeout(10_000);
            String head = "POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n";
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            Thread writer = new Thread(() -> {
                try {
                    out.write(body);
                    out.flush();
                } catch (IOException expected) {
                    // The server closes once it has refused the body.
                }
            });
            writer.start();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            String statusLine = in.readLine();
            writer.join(10_000);
            return statusLine;
        }
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

    static HttpResponse<String> rawPost(byte[] body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + PORT + "/validate"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String resource(String path) {
        try {
            return Files.readString(Path.of("src/test/resources", path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
