package io.meshguard.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Parses an AdmissionReview body into a tree of what meshguard reads, streaming past the rest.
 *
 * <p>The API server sends each object with {@code metadata.managedFields} and, for objects applied with kubectl,
 * the {@code kubectl.kubernetes.io/last-applied-configuration} annotation (the whole object again, as one escaped
 * string); the request also carries {@code userInfo}, {@code options}, {@code requestKind} and the like. Together
 * they are most of a review's bytes and none of its answer. They are still tokenized, so a body that is not JSON,
 * or nests deeper than the parser allows, is refused wherever the fault is; they are just never built into nodes
 * or decoded into strings.
 *
 * <p>Everything else of {@code request.object} and {@code request.oldObject} is kept as sent: the mutating webhook
 * diffs its patch from that tree, and a member absent from both sides of the diff is one the patch never touches.
 * An {@code annotations} map left empty by the pruning stays in the tree as an empty map, so that an annotation
 * added by a mutator is patched in beside the others rather than as a new map replacing them.
 *
 * <p>Apart from the pruned members the tree is the one {@link ObjectMapper#readTree(byte[])} builds: the same node
 * types for numbers, the last of duplicate keys, the first value of the body and nothing after it.
 */
final class ReviewTreeReader {

    /** The annotation kubectl's client-side apply writes: the applied object again, as a JSON string. */
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    /** Where in the review a member is, which decides what is kept of it. */
    private enum Level {
        /** Kept as parsed. */
        VALUE,
        ROOT,
        REQUEST,
        OBJECT,
        METADATA,
        ANNOTATIONS;

        private static final Set<String> ROOT_READ = Set.of("apiVersion", "kind", "request");
        private static final Set<String> REQUEST_READ = Set.of("uid", "operation", "kind", "resource", "namespace",
                "name", "dryRun");

        /** The level of member {@code name} of an object at this level, or null when it is not kept. */
        Level member(String name) {
            return switch (this) {
                case ROOT -> name.equals("request") ? REQUEST : ROOT_READ.contains(name) ? VALUE : null;
                case REQUEST -> name.equals("object") || name.equals("oldObject") ? OBJECT
                        : REQUEST_READ.contains(name) ? VALUE : null;
                case OBJECT -> name.equals("metadata") ? METADATA : VALUE;
                case METADATA -> name.equals("managedFields") ? null : name.equals("annotations") ? ANNOTATIONS : VALUE;
                case ANNOTATIONS -> name.equals(LAST_APPLIED) ? null : VALUE;
                case VALUE -> VALUE;
            };
        }
    }

    private final ObjectMapper mapper;
    private final JsonNodeFactory nodes;

    ReviewTreeReader(ObjectMapper mapper) {
        this.mapper = mapper;
        this.nodes = mapper.getNodeFactory();
    }

    /**
     * The review as a tree, or null when the body holds no JSON value.
     *
     * @throws com.fasterxml.jackson.core.JsonProcessingException when the body is not JSON, anywhere in its first
     *     value, pruned members included
     */
    JsonNode read(byte[] body) throws IOException {
        try (JsonParser parser = mapper.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            return first == JsonToken.START_OBJECT ? object(parser, Level.ROOT) : mapper.readTree(parser);
        }
    }

    /** The object the parser is at (on its START_OBJECT), with the members {@code level} keeps. */
    private ObjectNode object(JsonParser parser, Level level) throws IOException {
        ObjectNode object = nodes.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            Level member = level.member(name);
            if (member == null) {
                parser.skipChildren();
            } else if (member != Level.VALUE && token == JsonToken.START_OBJECT) {
                object.set(name, object(parser, member));
            } else {
                object.set(name, value(parser, token));
            }
        }
        return object;
    }

    /** The value the parser is at, whole. Strings and literals directly; numbers and containers as Jackson reads them. */
    private JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            default -> mapper.readTree(parser);
        };
    }
}
