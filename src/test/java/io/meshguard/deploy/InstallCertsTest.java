package io.meshguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** certs/install-certs.sh: its render mode, then its apply mode against a stand-in kubectl that records what it does. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstallCertsTest {

    static final Path SCRIPT = Path.of("certs/install-certs.sh");

    @TempDir
    static Path temp;

    Path rendered;

    @BeforeAll
    void renderIntoTempDir() {
        assumeTrue(Kustomize.onPath("openssl"), "openssl is not on PATH");
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH");
        assumeTrue(Kustomize.onPath("bash"), "bash is not on PATH");
        rendered = temp.resolve("rendered");
        Kustomize.run(List.of("bash", SCRIPT.toString(), "--render", rendered.toString(), "team-x"), null);
    }

    static <T extends HasMetadata> T read(Path file, Class<T> type) throws IOException {
        List<HasMetadata> objects = Kustomize.parse(Files.readString(file));
        assertThat(objects).as(file.toString()).singleElement().isInstanceOf(type);
        return type.cast(objects.get(0));
    }

    static List<X509Certificate> certificates(byte[] pem) throws Exception {
        Collection<? extends java.security.cert.Certificate> parsed = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem));
        return parsed.stream().map(X509Certificate.class::cast).toList();
    }

    static X509Certificate servingCertificate(Secret secret) throws Exception {
        return certificates(Base64.getDecoder().decode(secret.getData().get("tls.crt"))).get(0);
    }

    static List<String> dnsNames(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        for (List<?> san : certificate.getSubjectAlternativeNames()) {
            if (Integer.valueOf(2).equals(san.get(0))) {
                names.add((String) san.get(1));
            }
        }
        return names;
    }

    static boolean signs(X509Certificate ca, X509Certificate certificate) {
        try {
            certificate.verify(ca.getPublicKey());
            return ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
        } catch (Exception e) {
            return false;
        }
    }

    Secret renderedSecret() throws IOException {
        return read(rendered.resolve("secret-meshguard-tls.yaml"), Secret.class);
    }

    // --- render mode -----------------------------------------------------------------------------------

    @Test
    void secretIsTheTlsSecretMeshguardTlsInTheGivenNamespace() throws IOException {
        Secret secret = renderedSecret();
        assertThat(secret.getMetadata().getName()).isEqualTo("meshguard-tls");
        assertThat(secret.getMetadata().getNamespace()).isEqualTo("team-x");
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
    }

    @Test
    void secretHoldsTlsCrtAndTlsKey() throws IOException {
        Map<String, String> data = renderedSecret().getData();
        assertThat(data).containsOnlyKeys("tls.crt", "tls.key");
        assertThat(new String(Base64.getDecoder().decode(data.get("tls.key")), StandardCharsets.US_ASCII))
                .contains("PRIVATE KEY-----");
    }

    @Test
    void renderedSecretIsReadableByItsOwnerOnly() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rendered.resolve("secret-meshguard-tls.yaml"))))
                .isEqualTo("rw-------");
    }

    @Test
    void servingCertificateNamesBothServiceDnsNames() throws Exception {
        assertThat(dnsNames(servingCertificate(renderedSecret())))
                .containsExactlyInAnyOrder("meshguard.team-x.svc", "meshguard.team-x.svc.cluster.local");
    }

    @Test
    void servingCertificateIsForServerAuthAndNotACa() throws Exception {
        X509Certificate certificate = servingCertificate(renderedSecret());
        assertThat(certificate.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
    }

    @Test
    void validatingWebhookCaBundleIsTheCaThatSignedTheServingCertificate() throws Exception {
        ValidatingWebhookConfiguration webhook = read(
                rendered.resolve("validatingwebhookconfiguration-meshguard.yaml"), ValidatingWebhookConfiguration.class);
        List<X509Certificate> bundle = certificates(
                Base64.getDecoder().decode(webhook.getWebhooks().get(0).getClientConfig().getCaBundle()));
        assertThat(bundle).hasSize(1);
        assertThat(signs(bundle.get(0), servingCertificate(renderedSecret()))).isTrue();
        assertThat(bundle.get(0).getBasicConstraints()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void mutatingWebhookCaBundleIsTheCaThatSignedTheServingCertificate() throws Exception {
        MutatingWebhookConfiguration webhook = read(
                rendered.resolve("mutatingwebhookconfiguration-meshguard.yaml"), MutatingWebhookConfiguration.class);
        List<X509Certificate> bundle = certificates(
                Base64.getDecoder().decode(webhook.getWebhooks().get(0).getClientConfig().getCaBundle()));
        assertThat(bundle).hasSize(1);
        assertThat(signs(bundle.get(0), servingCertificate(renderedSecret()))).isTrue();
    }

    @Test
    void webhooksCallTheServiceInTheGivenNamespace() throws IOException {
        assertThat(read(rendered.resolve("validatingwebhookconfiguration-meshguard.yaml"),
                ValidatingWebhookConfiguration.class).getWebhooks().get(0).getClientConfig().getService().getNamespace())
                .isEqualTo("team-x");
        assertThat(read(rendered.resolve("mutatingwebhookconfiguration-meshguard.yaml"),
                MutatingWebhookConfiguration.class).getWebhooks().get(0).getClientConfig().getService().getNamespace())
                .isEqualTo("team-x");
    }

    @Test
    void renderedWebhooksKeepEverythingElseFromK8s() throws IOException {
        ValidatingWebhookConfiguration ours = read(rendered.resolve("validatingwebhookconfiguration-meshguard.yaml"),
                ValidatingWebhookConfiguration.class);
        ValidatingWebhookConfiguration base = read(Path.of("k8s/base/validating-webhook.yaml"),
                ValidatingWebhookConfiguration.class);
        assertThat(ours.getWebhooks()).hasSameSizeAs(base.getWebhooks());
        for (var webhook : ours.getWebhooks()) {
            assertThat(webhook.getClientConfig().getCaBundle()).as(webhook.getName()).isNotBlank();
            assertThat(webhook.getClientConfig().getService().getNamespace()).as(webhook.getName()).isEqualTo("team-x");
            webhook.getClientConfig().setCaBundle(null);
            webhook.getClientConfig().getService().setNamespace("meshguard");
        }
        assertThat(ours).isEqualTo(base);
    }

    @Test
    void eachRunMintsANewCa() throws Exception {
        Path again = temp.resolve("again");
        Kustomize.run(List.of("bash", SCRIPT.toString(), "--render", again.toString(), "team-x"), null);
        X509Certificate first = certificates(Files.readAllBytes(rendered.resolve("ca.crt"))).get(0);
        X509Certificate second = certificates(Files.readAllBytes(again.resolve("ca.crt"))).get(0);
        assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
    }

    @Test
    void unknownOptionIsRefused() {
        Kustomize.Result result = Kustomize.runAllowingFailure(
                List.of("bash", SCRIPT.toString(), "--frobnicate", temp.resolve("x").toString()), null);
        assertThat(result.exit()).isNotZero();
        assertThat(temp.resolve("x")).doesNotExist();
    }

    // --- apply mode, against a stand-in kubectl ------------------------------------------------------------

    /**
     * A kubectl that runs the offline commands (--local, --dry-run=client) for real and records the rest:
     * applied and created files are copied, JSON patches saved. STUB_EXISTS makes the webhook configurations
     * exist, with STUB_CA_BUNDLE as their current caBundle.
     */
    static final String STUB = """
            #!/usr/bin/env bash
            printf '%s\\n' "$*" >> "$STUB_DIR/calls"
            for arg in "$@"; do
              if [[ "$arg" == --local || "$arg" == --dry-run=client ]]; then exec "$REAL_KUBECTL" "$@"; fi
            done
            case "$1 $2" in
              "get namespace") [[ -n "${STUB_EXISTS:-}" ]] ;;
              "create namespace") exit 0 ;;
              "apply -f") cp "$3" "$STUB_DIR/applied-$(basename "$3")" ;;
              "create -f") cp "$3" "$STUB_DIR/created-$(basename "$3")" ;;
              "get validatingwebhookconfiguration"|"get mutatingwebhookconfiguration")
                [[ -n "${STUB_EXISTS:-}" ]] || { echo "NotFound" >&2; exit 1; }
                case "$*" in
                  *caBundle*) printf '%s' "$STUB_CA_BUNDLE" ;;
                  *jsonpath*) echo "hook.meshguard.io" ;;
                esac ;;
              "patch validatingwebhookconfiguration"|"patch mutatingwebhookconfiguration")
                printf '%s' "$6" > "$STUB_DIR/patch-$2" ;;
              *) echo "stand-in kubectl: unexpected kubectl $*" >&2; exit 3 ;;
            esac
            """;

    Kustomize.Result applyWithStub(Path dir, Map<String, String> extra) throws IOException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path stub = bin.resolve("kubectl");
        Files.writeString(stub, STUB);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        String realKubectl = Kustomize.run(List.of("bash", "-c", "command -v kubectl"), null).stdout().trim();
        Map<String, String> environment = new java.util.HashMap<>(extra);
        environment.put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        environment.put("REAL_KUBECTL", realKubectl);
        environment.put("STUB_DIR", dir.toString());
        return Kustomize.run(List.of("bash", SCRIPT.toString(), "meshguard"), environment);
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class FreshCluster {

        Path dir;

        @BeforeAll
        void install() throws IOException {
            dir = temp.resolve("fresh");
            applyWithStub(dir, Map.of());
        }

        @Test
        void createsTheNamespace() throws IOException {
            assertThat(Files.readAllLines(dir.resolve("calls"))).contains("create namespace meshguard");
        }

        @Test
        void appliesTheSecret() throws IOException {
            assertThat(read(dir.resolve("applied-secret-meshguard-tls.yaml"), Secret.class).getData())
                    .containsKeys("tls.crt", "tls.key");
        }

        @Test
        void createsBothWebhookConfigurationsWithTheCaRatherThanApplyingThem() throws Exception {
            // created, not applied: a later "kubectl apply -k k8s/" then has no caBundle of its own to remove
            X509Certificate serving = servingCertificate(read(dir.resolve("applied-secret-meshguard-tls.yaml"), Secret.class));
            ValidatingWebhookConfiguration validating = read(
                    dir.resolve("created-validatingwebhookconfiguration-meshguard.yaml"), ValidatingWebhookConfiguration.class);
            MutatingWebhookConfiguration mutating = read(
                    dir.resolve("created-mutatingwebhookconfiguration-meshguard.yaml"), MutatingWebhookConfiguration.class);
            assertThat(signs(certificates(Base64.getDecoder().decode(
                    validating.getWebhooks().get(0).getClientConfig().getCaBundle())).get(0), serving)).isTrue();
            assertThat(signs(certificates(Base64.getDecoder().decode(
                    mutating.getWebhooks().get(0).getClientConfig().getCaBundle())).get(0), serving)).isTrue();
            assertThat(Files.readAllLines(dir.resolve("calls"))).noneMatch(c -> c.startsWith("apply -f")
                    && c.contains("webhookconfiguration"));
        }

        @Test
        void patchesNothing() {
            assertThat(dir.resolve("patch-validatingwebhookconfiguration")).doesNotExist();
            assertThat(dir.resolve("patch-mutatingwebhookconfiguration")).doesNotExist();
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Rotation {

        Path dir;
        X509Certificate previousCa;

        @BeforeAll
        void rotate() throws Exception {
            dir = temp.resolve("rotation");
            byte[] previous = Files.readAllBytes(rendered.resolve("ca.crt"));
            previousCa = certificates(previous).get(0);
            applyWithStub(dir, Map.of("STUB_EXISTS", "1",
                    "STUB_CA_BUNDLE", Base64.getEncoder().encodeToString(previous)));
        }

        List<X509Certificate> patchedBundle(String kind) throws Exception {
            String patch = Files.readString(dir.resolve("patch-" + kind));
            List<?> operations = new com.fasterxml.jackson.databind.ObjectMapper().readValue(patch, List.class);
            assertThat(operations).hasSize(1);
            Map<?, ?> operation = (Map<?, ?>) operations.get(0);
            assertThat(operation.get("path")).isEqualTo("/webhooks/0/clientConfig/caBundle");
            return certificates(Base64.getDecoder().decode((String) operation.get("value")));
        }

        @Test
        void validatingCaBundleHoldsTheNewCaFirstAndKeepsThePreviousOne() throws Exception {
            X509Certificate serving = servingCertificate(read(dir.resolve("applied-secret-meshguard-tls.yaml"), Secret.class));
            List<X509Certificate> bundle = patchedBundle("validatingwebhookconfiguration");
            assertThat(bundle).hasSize(2);
            assertThat(signs(bundle.get(0), serving)).isTrue();
            assertThat(bundle.get(1)).isEqualTo(previousCa);
        }

        @Test
        void mutatingCaBundleHoldsTheNewCaFirstAndKeepsThePreviousOne() throws Exception {
            X509Certificate serving = servingCertificate(read(dir.resolve("applied-secret-meshguard-tls.yaml"), Secret.class));
            List<X509Certificate> bundle = patchedBundle("mutatingwebhookconfiguration");
            assertThat(bundle).hasSize(2);
            assertThat(signs(bundle.get(0), serving)).isTrue();
            assertThat(bundle.get(1)).isEqualTo(previousCa);
        }

        @Test
        void createsNoWebhookConfigurationAndNoNamespace() throws IOException {
            assertThat(dir.resolve("created-validatingwebhookconfiguration-meshguard.yaml")).doesNotExist();
            assertThat(dir.resolve("created-mutatingwebhookconfiguration-meshguard.yaml")).doesNotExist();
            assertThat(Files.readAllLines(dir.resolve("calls"))).doesNotContain("create namespace meshguard");
        }
    }
}
