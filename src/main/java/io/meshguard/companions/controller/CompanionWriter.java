package io.meshguard.companions.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** How the controller writes to the API server: the seam between the reconcile loop and the write path. */
public interface CompanionWriter {

    /** The field manager meshguard writes under. */
    String FIELD_MANAGER = "meshguard";

    /** Makes the object in the cluster carry the desired labels, owner and spec, creating it if absent. */
    void apply(ObjectNode desired);

    /** Deletes {@code actual} (as read from the cluster); deleting what is already gone is done. */
    void delete(JsonNode actual);
}
