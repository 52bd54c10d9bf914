package io.meshguard.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.CompanionOwner;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.RoutingVirtualService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a VirtualService object as the companion planner sees it. A field of the wrong shape counts as absent
 * rather than failing: the view only serves to avoid conflicts, and a VirtualService the API server persisted
 * must never stop an entry from being planned.
 */
public final class VirtualServiceReader {

    private VirtualServiceReader() {
    }

    public static RoutingVirtualService read(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        JsonNode spec = object.path("spec");
        String namespace = metadata.path("namespace").asText("");
        EntryKey owner = owner(object).orElse(null);
        return new RoutingVirtualService(namespace, metadata.path("name").asText(""), texts(spec.path("hosts")),
                texts(spec.path("gateways")), texts(spec.path("exportTo")), owner);
    }

    /** The ServiceEntry that controls a companion object, by {@link CompanionOwner}'s rule. */
    public static Optional<EntryKey> owner(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return CompanionOwner.of(metadata.path("namespace").asText(""), labels(metadata), ownerReferences(metadata));
    }

    /** {@code metadata.labels}, keeping only the string values. */
    static Map<String, String> labels(JsonNode metadata) {
        Map<String, String> labels = new HashMap<>();
        metadata.path("labels").fields().forEachRemaining(label -> {
            if (label.getValue().isTextual()) {
                labels.put(label.getKey(), label.getValue().asText());
            }
        });
        return labels;
    }

    /** {@code metadata.ownerReferences}, as {@link CompanionOwner} reads them. */
    static List<CompanionOwner.Reference> ownerReferences(JsonNode metadata) {
        List<CompanionOwner.Reference> references = new ArrayList<>();
        for (JsonNode reference : metadata.path("ownerReferences")) {
            references.add(new CompanionOwner.Reference(reference.path("apiVersion").asText(""),
                    reference.path("kind").asText(""), reference.path("name").asText(""),
                    reference.path("controller").asBoolean(false)));
        }
        return references;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(item -> {
                if (item.isTextual()) {
                    values.add(item.asText());
                }
            });
        }
        return values;
    }
}
