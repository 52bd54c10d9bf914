package io.meshguard.companions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.mesh.CompanionOwner;
import io.meshguard.mesh.ServiceEntryFacts;

/** The parts every companion object shares: its metadata, its owner and how it is named in the annotation. */
public final class Companions {

    public static final String MANAGED_BY = CompanionOwner.MANAGED_BY;
    public static final String MANAGED_BY_VALUE = CompanionOwner.MANAGED_BY_VALUE;
    public static final String SNI_SUFFIX = "-sni";
    public static final String EGRESS_SUFFIX = "-egress";

    private Companions() {
    }

    /**
     * A new object in the entry's namespace (an ownerReference must not cross namespaces), labelled as
     * meshguard's, owned by the entry once the entry has a uid (a file planned offline has none).
     */
    static ObjectNode skeleton(String apiVersion, String kind, String name, ServiceEntryFacts entry) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", entry.namespace());
        metadata.putObject("labels").put(MANAGED_BY, MANAGED_BY_VALUE);
        if (!entry.uid().isEmpty()) {
            ObjectNode owner = metadata.putArray("ownerReferences").addObject();
            owner.put("apiVersion", apiVersion);
            owner.put("kind", "ServiceEntry");
            owner.put("name", entry.name());
            owner.put("uid", entry.uid());
            owner.put("controller", true);
            // The companions are cheap to regenerate; they must never hold up the deletion of the entry.
            owner.put("blockOwnerDeletion", false);
        }
        return object;
    }

    /** {@code Kind/name}, as the annotation lists it. */
    public static String reference(JsonNode object) {
        return object.path("kind").asText() + "/" + object.path("metadata").path("name").asText();
    }
}
