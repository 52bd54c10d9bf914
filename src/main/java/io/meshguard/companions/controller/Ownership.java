package io.meshguard.companions.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.CompanionOwner;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Whose an object is, and so what the controller may do with a planned companion: write it, leave it (the
 * cluster already holds it as planned), or leave it to the one who wrote it (an object of that name exists and
 * is not meshguard's: a squatter, never overwritten).
 */
public final class Ownership {

    /** What to do with one planned companion. */
    public enum Action { WRITE, UP_TO_DATE, SQUATTED }

    private Ownership() {
    }

    /**
     * @param owned the entry's own companion of that kind and name, or null
     * @param atName whatever is stored under the planned kind, namespace and name (read only when not owned)
     */
    public static Action decide(JsonNode desired, JsonNode owned, Optional<JsonNode> atName) {
        if (owned != null) {
            return upToDate(owned, desired) ? Action.UP_TO_DATE : Action.WRITE;
        }
        return atName.filter(object -> !managed(object)).isPresent() ? Action.SQUATTED : Action.WRITE;
    }

    /** Labelled as meshguard's. */
    public static boolean managed(JsonNode object) {
        return CompanionOwner.MANAGED_BY_VALUE.equals(
                object.path("metadata").path("labels").path(CompanionOwner.MANAGED_BY).asText());
    }

    /** True when {@code actual} already carries everything {@code desired} sets, so no write is needed. */
    static boolean upToDate(JsonNode actual, JsonNode desired) {
        if (!actual.path("spec").equals(desired.path("spec"))) {
            return false;
        }
        JsonNode labels = actual.path("metadata").path("labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.path("metadata").path("labels").fields();
                it.hasNext();) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().equals(labels.path(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode wanted : desired.path("metadata").path("ownerReferences")) {
            boolean found = false;
            for (JsonNode reference : actual.path("metadata").path("ownerReferences")) {
                found |= reference.equals(wanted);
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }
}
