package io.meshguard.audit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a publisher left on fabric8's mock API server: the writes (a scan with no change makes none) and who owns a
 * report (the object that loses traffic, so that the report is collected with it).
 */
final class PublishedReports {

    private PublishedReports() {
    }

    /** The report has one owner: {@code kind} {@code name} of {@code networking.istio.io/v1}, by uid. */
    static void assertOwnedBy(GenericKubernetesResource report, String kind, String name, String uid) {
        assertThat(report.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo(kind);
            assertThat(owner.getApiVersion()).isEqualTo("networking.istio.io/v1");
            assertThat(owner.getName()).isEqualTo(name);
            assertThat(owner.getUid()).isEqualTo(uid);
        });
    }

    /** The writing requests since the last drain, as "METHOD path". */
    static List<String> writes(KubernetesMockServer server) throws InterruptedException {
        List<String> writes = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
            if (!request.getMethod().equals("GET")) {
                writes.add(request.getMethod() + " " + request.getPath());
            }
        }
        return writes;
    }

    /** Forgets the requests so far. */
    static void drain(KubernetesMockServer server) throws InterruptedException {
        while (server.takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // forget earlier requests
        }
    }
}
