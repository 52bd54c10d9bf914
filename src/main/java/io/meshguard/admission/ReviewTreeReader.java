package io.meshguard.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 *
 * <p>What is kept is bounded, whatever the body: a 7 MiB body of empty objects would make a tree of 2.4 million
 * nodes, more than the heap holds. {@code request.object} and {@code request.oldObject} keep at most
 * {@link #OBJECT_VALUES} values each; one that holds more is read past and kept as {@link #OVERSIZED}, which the
 * route denies as too large to review. The rest of the review keeps at most {@link #ENVELOPE_VALUES}; past that it is
 * not an AdmissionReview meshguard can answer (400).
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

    /** The most values (objects, arrays, scalars) kept of {@code request.object}, and of {@code request.oldObject}. */
    static final int OBJECT_VALUES = 200_000;
    /** The most values kept of the rest of the review; the API server sends a few dozen. */
    static final int ENVELOPE_VALUES = 10_000;

    /** What an object under review that holds more than {@link #OBJECT_VALUES} values is kept as. */
    static final JsonNode OVERSIZED = JsonNodeFactory.instance.textNode(
            "meshguard: more than " + OBJECT_VALUES + " values, not kept");

    /** Whether {@code object} is an object under review that was too large to keep. */
    static boolean oversized(JsonNode object) {
        return object == OVERSIZED;
    }

    /** Counts the values kept of one part of the review. */
    private static final class Budget {
        private int left;

        Budget(int values) {
            this.left = values;
        }

        void take() {
            if (--left < 0) {
                throw new Exhausted();
            }
        }
    }

    /** The budget of the part being read is spent. */
    private static final class Exhausted extends RuntimeException {
        Exhausted() {
            super(null, null, false, false);
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
            Budget envelope = new Budget(ENVELOPE_VALUES);
            try {
                return first == JsonToken.START_OBJECT ? object(parser, Level.ROOT, envelope)
                        : value(parser, first, envelope);
            } catch (Exhausted e) {
                throw new BadReviewException("the review holds more than " + ENVELOPE_VALUES
                        + " values outside request.object and request.oldObject; an AdmissionReview has a few dozen");
            }
        }
    }

    /** The object the parser is at (on its START_OBJECT), with the members {@code level} keeps. */
    private ObjectNode object(JsonParser parser, Level level, Budget budget) throws IOException {
        budget.take();
        ObjectNode object = nodes.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            Level member = level.member(name);
            if (member == null) {
                parser.skipChildren();
            } else if (member == Level.OBJECT) {
                object.set(name, objectUnderReview(parser, token));
            } else if (member != Level.VALUE && token == JsonToken.START_OBJECT) {
                object.set(name, object(parser, member, budget));
            } else {
                object.set(name, value(parser, token, budget));
            }
        }
        return object;
    }

    /** {@code request.object} or {@code oldObject}, on its first token: with a budget of its own, or {@link #OVERSIZED}. */
    private JsonNode objectUnderReview(JsonParser parser, JsonToken token) throws IOException {
        JsonStreamContext around = token.isStructStart() ? parser.getParsingContext().getParent() : null;
        Budget budget = new Budget(OBJECT_VALUES);
        try {
            return token == JsonToken.START_OBJECT ? object(parser, Level.OBJECT, budget) : value(parser, token, budget);
        } catch (Exhausted e) {
            // Read past the rest of it, still checking that it is JSON, keeping nothing.
            while (parser.getParsingContext() != around) {
                if (parser.nextToken() == null) {
                    throw new JsonEOFException(parser, null, "the body ends inside the object under review");
                }
            }
            return OVERSIZED;
        }
    }

    /** The value the parser is at, whole. Strings and literals directly, numbers as Jackson reads them. */
    private JsonNode value(JsonParser parser, JsonToken token, Budget budget) throws IOException {
        budget.take();
        return switch (token) {
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_TRUE -> nodes.booleanNode(true);
            case VALUE_FALSE -> nodes.booleanNode(false);
            case VALUE_NULL -> nodes.nullNode();
            case START_ARRAY -> array(parser, budget);
            case START_OBJECT -> plainObject(parser, budget);
            default -> mapper.readTree(parser);
        };
    }

    private ArrayNode array(JsonParser parser, Budget budget) throws IOException {
        ArrayNode array = nodes.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            array.add(value(parser, token, budget));
        }
        return array;
    }

    /** An object kept whole: every member, the last of duplicate keys. */
    private ObjectNode plainObject(JsonParser parser, Budget budget) throws IOException {
        ObjectNode object = nodes.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            object.set(name, value(parser, parser.nextToken(), budget));
        }
        return object;
    }
}
