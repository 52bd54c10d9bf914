package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of {@code AdmissionReview.request} meshguard acts on, read once from the raw JSON.
 *
 * @param reviewApiVersion {@code admission.k8s.io/v1} or {@code v1beta1}: the answer must use the same
 * @param object the object as sent, or null (DELETE)
 * @param oldObject the stored object on UPDATE and DELETE, or null
 */
public record AdmissionRequestView(
        String reviewApiVersion,
        String uid,
        String group,
        String version,
        String kind,
        String resource,
        Operation operation,
        String namespace,
        String name,
        boolean dryRun,
        JsonNode object,
        JsonNode oldObject) {

    public boolean isKind(String expectedGroup, String expectedKind) {
        return expectedGroup.equals(group) && expectedKind.equals(kind);
    }
}
