package io.meshguard.audit.cluster;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What a publisher wrote to fabric8's mock API server: how the tests tell that a scan with no change writes nothing. */
final class MockServerWrites {

    private MockServerWrites() {
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
