package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * An RFC 6902 patch that turns one JSON tree into another, as the API server will apply it to the object it
 * sent. Objects are compared member by member so that a patch touches only what changed; arrays and scalars
 * that differ are replaced whole, which is always correct and is all an annotation change needs.
 */
public final class JsonPatchDiff {

    private JsonPatchDiff() {
    }

    /** The operations that turn {@code source} into {@code target}; empty when they are equal. */
    public static ArrayNode diff(JsonNode source, JsonNode target) {
        ArrayNode operations = JsonNodeFactory.instance.arrayNode();
        diff("", source, target, operations);
        return operations;
    }

    private static void diff(String path, JsonNode source, JsonNode target, ArrayNode operations) {
        if (source.equals(target)) {
            return;
        }
        if (!source.isObject() || !target.isObject()) {
            operations.addObject().put("op", "replace").put("path", path).set("value", target.deepCopy());
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            String child = path + "/" + escape(field.getKey());
            JsonNode after = target.get(field.getKey());
            if (after == null) {
                operations.addObject().put("op", "remove").put("path", child);
            } else {
                diff(child, field.getValue(), after, operations);
            }
        }
        ObjectNode sourceObject = (ObjectNode) source;
        for (Iterator<Map.Entry<String, JsonNode>> it = target.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!sourceObject.has(field.getKey())) {
                operations.addObject().put("op", "add").put("path", path + "/" + escape(field.getKey()))
                        .set("value", field.getValue().deepCopy());
            }
        }
    }

    /** RFC 6901: {@code ~} first, so that the {@code ~1} written for {@code /} is not escaped again. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
