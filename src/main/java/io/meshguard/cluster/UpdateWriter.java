package io.meshguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.meshguard.companions.controller.CompanionWriter;
import java.net.HttpURLConnection;

/**
 * The write path without server-side apply: create, or read and update with the read resourceVersion, retrying
 * when someone wrote in between (409). The spec is meshguard's whole; labels, annotations and ownerReferences
 * that others added are kept. Used where server-side apply is not available, fabric8's CRUD mock among them.
 */
public final class UpdateWriter implements CompanionWriter {

    static final int ATTEMPTS = 3;

    private final KubernetesClient client;

    public UpdateWriter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void apply(ObjectNode desired) {
        String kind = desired.path("kind").asText();
        JsonNode metadata = desired.path("metadata");
        NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                Resource<GenericKubernetesResource>> resources = client.genericKubernetesResources(
                        IstioKinds.context(kind, desired.path("apiVersion").asText()))
                .inNamespace(metadata.path("namespace").asText());
        String name = metadata.path("name").asText();
        for (int attempt = 1;; attempt++) {
            GenericKubernetesResource current = resources.withName(name).get();
            try {
                if (current == null) {
                    resources.resource(convert(desired)).create();
                } else {
                    resources.resource(convert(merged(json(current), desired))).update();
                }
                return;
            } catch (KubernetesClientException e) {
                boolean raced = e.getCode() == HttpURLConnection.HTTP_CONFLICT;
                if (!raced || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public void delete(JsonNode actual) {
        delete(client, actual);
    }

    static void delete(KubernetesClient client, JsonNode actual) {
        JsonNode metadata = actual.path("metadata");
        client.genericKubernetesResources(IstioKinds.context(actual.path("kind").asText(),
                        actual.path("apiVersion").asText()))
                .inNamespace(metadata.path("namespace").asText()).withName(metadata.path("name").asText()).delete();
    }

    /** The current object with meshguard's spec, label and ownerReference, keeping what others added. */
    static ObjectNode merged(ObjectNode current, ObjectNode desired) {
        ObjectNode merged = current.deepCopy();
        merged.set("spec", desired.path("spec").deepCopy());
        ObjectNode metadata = (ObjectNode) merged.get("metadata");
        ObjectNode labels = metadata.has("labels") && metadata.get("labels").isObject()
                ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        desired.path("metadata").path("labels").fields()
                .forEachRemaining(label -> labels.set(label.getKey(), label.getValue()));
        JsonNode wanted = desired.path("metadata").path("ownerReferences");
        if (wanted.isArray() && !wanted.isEmpty()) {
            ArrayNode references = metadata.putArray("ownerReferences");
            current.path("metadata").path("ownerReferences").forEach(reference -> {
                if (!reference.path("controller").asBoolean(false)) {
                    references.add(reference);
                }
            });
            wanted.forEach(references::add);
        }
        return merged;
    }

    private ObjectNode json(GenericKubernetesResource resource) {
        return client.getKubernetesSerialization().convertValue(resource, ObjectNode.class);
    }

    private GenericKubernetesResource convert(JsonNode object) {
        return client.getKubernetesSerialization().convertValue(object, GenericKubernetesResource.class);
    }
}
