package io.meshguard.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EntryKey;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reading the fields of an Istio object as the API server stores it (ServiceEntry, Gateway, VirtualService), naming
 * the field that has the wrong shape.
 */
final class ObjectFields {

    private ObjectFields() {
    }

    static void requireObject(JsonNode object, String kind) {
        if (object == null || !object.isObject()) {
            throw new MalformedObjectException("the " + kind + " is not a JSON object");
        }
    }

    /**
     * The object's namespace and name; {@code namespaceFallback} (the request's, or the check's default) when it
     * names no namespace. An object with only {@code generateName} is keyed under a name no stored object has: the
     * API server names it later.
     */
    static EntryKey key(JsonNode metadata, String namespaceFallback) {
        if (!absent(metadata) && !metadata.isObject()) {
            throw new MalformedObjectException("metadata is not an object, got " + describe(metadata));
        }
        String name = text(metadata, "name", "metadata.name");
        String generateName = name == null || name.isEmpty()
                ? text(metadata, "generateName", "metadata.generateName") : null;
        if ((name == null || name.isEmpty()) && (generateName == null || generateName.isEmpty())) {
            throw new MalformedObjectException("metadata.name is missing");
        }
        String namespace = text(metadata, "namespace", "metadata.namespace");
        if (namespace == null || namespace.isEmpty()) {
            namespace = namespaceFallback;
        }
        if (namespace == null || namespace.isEmpty()) {
            throw new MalformedObjectException("metadata.namespace is missing and none is given otherwise");
        }
        // A cluster has few namespaces and many objects: one copy of each namespace name in the index.
        namespace = namespace.intern();
        return generateName != null ? EntryKey.generated(namespace, generateName) : new EntryKey(namespace, name);
    }

    static long created(JsonNode metadata, long nowMillis) {
        String timestamp = text(metadata, "creationTimestamp", "metadata.creationTimestamp");
        if (timestamp == null || timestamp.isEmpty()) {
            return nowMillis;
        }
        try {
            return Instant.parse(timestamp).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new MalformedObjectException("metadata.creationTimestamp is not RFC 3339: " + timestamp);
        }
    }

    static JsonNode spec(JsonNode object) {
        JsonNode spec = object.path("spec");
        if (!absent(spec) && !spec.isObject()) {
            throw new MalformedObjectException("spec is not an object, got " + describe(spec));
        }
        return spec;
    }

    static Map<String, String> stringMap(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new MalformedObjectException(path + " is not a map");
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw new MalformedObjectException(path + "[" + e.getKey() + "] must be a string, got "
                        + describe(e.getValue()));
            }
            values.put(e.getKey(), e.getValue().asText());
        });
        return values;
    }

    static List<String> strings(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedObjectException(path + " is not a list");
        }
        List<String> values = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new MalformedObjectException(path + "[" + i + "] must be a string, got " + describe(item));
            }
            values.add(item.asText());
        }
        return values;
    }

    static String text(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new MalformedObjectException(path + " must be a string, got " + describe(node));
        }
        return node.asText();
    }

    static boolean bool(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new MalformedObjectException(path + " must be true or false, got " + describe(node));
        }
        return node.booleanValue();
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    static String describe(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
