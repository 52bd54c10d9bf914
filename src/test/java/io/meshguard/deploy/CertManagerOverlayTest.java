package io.meshguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** certs/cert-manager renders offline with kubectl kustomize, and wires issuers, certificates and CA injection. */
class CertManagerOverlayTest {

    static final String INJECT = "cert-manager.io/inject-ca-from";

    static List<HasMetadata> objects;

    @BeforeAll
    static void render() {
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH");
        objects = Kustomize.parse(Kustomize.kubectl("kustomize", "certs/cert-manager"));
    }

    static GenericKubernetesResource certManager(String kind, String name) {
        List<GenericKubernetesResource> found = objects.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast)
                .filter(o -> o.getApiVersion().equals("cert-manager.io/v1") && o.getKind().equals(kind))
                .filter(o -> o.getMetadata().getName().equals(name))
                .toList();
        assertThat(found).as("%s meshguard/%s", kind, name).hasSize(1);
        assertThat(found.get(0).getMetadata().getNamespace()).isEqualTo("meshguard");
        return found.get(0);
    }

    static void assertIssuedBy(GenericKubernetesResource certificate, String issuer) {
        assertThat((String) certificate.get("spec", "issuerRef", "kind")).isEqualTo("Issuer");
        assertThat((String) certificate.get("spec", "issuerRef", "name")).isEqualTo(issuer);
    }

    @Test
    void selfSignedIssuerBootstrapsTheCa() {
        assertThat((Map<?, ?>) certManager("Issuer", "meshguard-selfsigned").get("spec", "selfSigned")).isNotNull();
    }

    @Test
    void caCertificateIsACaIssuedByTheSelfSignedIssuer() {
        GenericKubernetesResource ca = certManager("Certificate", "meshguard-ca");
        assertThat((Boolean) ca.get("spec", "isCA")).isTrue();
        assertIssuedBy(ca, "meshguard-selfsigned");
    }

    @Test
    void caIssuerSignsWithTheCaCertificatesSecret() {
        String caSecret = certManager("Certificate", "meshguard-ca").get("spec", "secretName");
        assertThat((String) certManager("Issuer", "meshguard-ca").get("spec", "ca", "secretName")).isEqualTo(caSecret);
    }

    @Test
    void servingCertificateIsIssuedByTheCaIssuer() {
        assertIssuedBy(certManager("Certificate", "meshguard-serving"), "meshguard-ca");
    }

    @Test
    void servingCertificateWritesSecretMeshguardTls() {
        assertThat((String) certManager("Certificate", "meshguard-serving").get("spec", "secretName"))
                .isEqualTo("meshguard-tls");
    }

    @Test
    void servingCertificateNamesBothServiceDnsNames() {
        assertThat((List<Object>) certManager("Certificate", "meshguard-serving").get("spec", "dnsNames"))
                .containsExactlyInAnyOrder("meshguard.meshguard.svc", "meshguard.meshguard.svc.cluster.local");
    }

    @Test
    void validatingWebhookGetsItsCaInjectedFromTheServingCertificate() {
        ValidatingWebhookConfiguration webhook = ManifestsTest.one(objects, ValidatingWebhookConfiguration.class, null,
                "meshguard");
        assertThat(webhook.getMetadata().getAnnotations()).containsEntry(INJECT, "meshguard/meshguard-serving");
    }

    @Test
    void mutatingWebhookGetsItsCaInjectedFromTheServingCertificate() {
        MutatingWebhookConfiguration webhook = ManifestsTest.one(objects, MutatingWebhookConfiguration.class, null,
                "meshguard");
        assertThat(webhook.getMetadata().getAnnotations()).containsEntry(INJECT, "meshguard/meshguard-serving");
    }

    @Test
    void injectionNamesAServingCertificateThatExists() {
        GenericKubernetesResource serving = certManager("Certificate", "meshguard-serving");
        assertThat(serving.getMetadata().getNamespace() + "/" + serving.getMetadata().getName())
                .isEqualTo("meshguard/meshguard-serving");
    }

    @Test
    void everythingElseIsK8sAsItIs() {
        List<HasMetadata> base = Kustomize.render(Path.of("k8s"));
        List<HasMetadata> rest = Kustomize.parse(Kustomize.kubectl("kustomize", "certs/cert-manager")).stream()
                .filter(o -> !(o instanceof GenericKubernetesResource)).toList();
        for (HasMetadata object : rest) {
            if (object.getMetadata().getAnnotations() != null) {
                object.getMetadata().getAnnotations().remove(INJECT);
            }
        }
        assertThat(rest).containsExactlyInAnyOrderElementsOf(base);
    }
}
