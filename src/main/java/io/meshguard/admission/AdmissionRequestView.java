package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of {@code AdmissionReview.request} meshguard acts on, read once from the raw JSON. The object under review
 * is the one {@code namespace} and {@code name} name, as the API server fills them; {@link ReviewIdentity} checks that
 * the objects sent agree.
 *
 * @param reviewApiVersion {@code admission.k8s.io/v1} or {@code v1beta1}: the answer must use the same
 * @param object the object as sent, or null (DELETE)
 * @param name empty (or null) on a CREATE of an object with only {@code metadata.generateName}, at the mutating
 *     webhook: the API server generates the name after the mutating webhooks and before the validating ones
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

    /**
     * A CREATE of an object with only {@code metadata.generateName}: the API server has not named it yet (it does
     * so after the mutating webhooks; the validating ones see the name). It is judged under a name no stored object
     * has ({@link io.meshguard.mesh.EntryKey#generated}).
     */
    public boolean nameNotGeneratedYet() {
        return operation == Operation.CREATE && (name == null || name.isEmpty())
                && ReviewIdentity.text(object, "name").isEmpty() && !ReviewIdentity.text(object, "generateName").isEmpty();
    }

    /**
     * Whether nothing of this review may be recorded: a dry run, or an object whose name is not known yet, which
     * would be recorded under a name no object will ever have (and never be confirmed or deleted under it).
     */
    public boolean recordsNothing() {
        return dryRun || nameNotGeneratedYet();
    }
}
