package io.meshguard.server;

/** Builds small AdmissionReview bodies for ServiceEntries, for tests that need many distinct ones. */
final class Reviews {

    private Reviews() {
    }

    static String serviceEntry(String reviewVersion, String uid, String operation, String namespace, String name,
            String spec) {
        return """
                {"apiVersion":"admission.k8s.io/%s","kind":"AdmissionReview","request":{
                  "uid":"%s",
                  "kind":{"group":"networking.istio.io","version":"v1","kind":"ServiceEntry"},
                  "resource":{"group":"networking.istio.io","version":"v1","resource":"serviceentries"},
                  "name":"%s","namespace":"%s","operation":"%s",
                  "object":{"apiVersion":"networking.istio.io/v1","kind":"ServiceEntry",
                    "metadata":{"name":"%s","namespace":"%s"},"spec":%s}}}
                """.formatted(reviewVersion, uid, name, namespace, operation, name, namespace, spec);
    }

    static String tcpEntry(String uid, String namespace, String name, int port) {
        return serviceEntry("v1", uid, "CREATE", namespace, name,
                "{\"hosts\":[\"" + name + "." + namespace + ".example.com\"],\"ports\":[{\"number\":" + port
                        + ",\"name\":\"tcp\",\"protocol\":\"TCP\"}],\"resolution\":\"DNS\"}");
    }
}
