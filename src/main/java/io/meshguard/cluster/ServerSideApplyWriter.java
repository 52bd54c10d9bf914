package io.meshguard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.companions.controller.CompanionWriter;

/**
 * The production write path: server-side apply under the field manager {@code meshguard}, forcing conflicts,
 * so the API server merges what meshguard owns and keeps what others added beside it (labels, annotations),
 * and a field someone else changed in what meshguard applied is taken back.
 */
public final class ServerSideApplyWriter implements CompanionWriter {

    private final KubernetesClient client;

    public ServerSideApplyWriter(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void apply(ObjectNode desired) {
        GenericKubernetesResource resource =
                client.getKubernetesSerialization().convertValue(desired, GenericKubernetesResource.class);
        client.genericKubernetesResources(IstioKinds.context(resource.getKind(), resource.getApiVersion()))
                .inNamespace(resource.getMetadata().getNamespace())
                .resource(resource)
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
    }

    @Override
    public void delete(JsonNode actual) {
        UpdateWriter.delete(client, actual);
    }
}
