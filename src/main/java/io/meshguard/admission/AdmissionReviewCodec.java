package io.meshguard.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** AdmissionReview JSON in and out, for {@code admission.k8s.io/v1} and {@code v1beta1}. */
public final class AdmissionReviewCodec {

    public static final Set<String> REVIEW_VERSIONS = Set.of("admission.k8s.io/v1", "admission.k8s.io/v1beta1");

    private final ObjectMapper mapper;
    private final ReviewTreeReader trees;

    public AdmissionReviewCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.trees = new ReviewTreeReader(mapper);
    }

    /**
     * The review's request, read once and checked. Of the objects under review, what the API server adds for its
     * own bookkeeping ({@code metadata.managedFields}, the last-applied annotation) is streamed past, not read: see
     * {@link ReviewTreeReader}.
     */
    public AdmissionRequestView read(byte[] body) {
        JsonNode root;
        try {
            root = trees.read(body);
        } catch (JsonProcessingException e) {
            throw new BadReviewException("the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadReviewException("the body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadReviewException("the body is not a JSON object, so not an AdmissionReview");
        }
        String kind = root.path("kind").asText("");
        if (!"AdmissionReview".equals(kind)) {
            throw new BadReviewException("kind must be AdmissionReview, got '" + kind + "'");
        }
        String apiVersion = root.path("apiVersion").asText("");
        if (!REVIEW_VERSIONS.contains(apiVersion)) {
            throw new BadReviewException("apiVersion must be one of " + REVIEW_VERSIONS.stream().sorted().toList()
                    + ", got '" + apiVersion + "'");
        }
        JsonNode request = root.path("request");
        if (!request.isObject()) {
            throw new BadReviewException("the AdmissionReview has no request");
        }
        String uid = textOrNull(request, "uid");
        if (uid == null || uid.isEmpty()) {
            throw new BadReviewException("request.uid is missing; the API server always sends one");
        }
        Operation operation = operation(textOrNull(request, "operation"));
        // What is under review decides whether it is judged at all: a kind that cannot be read must not pass for
        // "a kind meshguard does not handle", which is allowed unchecked.
        JsonNode gvk = request.path("kind");
        if (!gvk.isObject()) {
            throw new BadReviewException("request.kind must be an object {group, version, kind}");
        }
        String kindName = textOrNull(gvk, "kind", "request.kind.kind");
        if (kindName == null || kindName.isEmpty()) {
            throw new BadReviewException("request.kind.kind is missing");
        }
        String group = textOrNull(gvk, "group", "request.kind.group");
        String version = textOrNull(gvk, "version", "request.kind.version");
        JsonNode dryRun = request.path("dryRun");
        if (!dryRun.isMissingNode() && !dryRun.isNull() && !dryRun.isBoolean()) {
            throw new BadReviewException("request.dryRun must be true or false");
        }
        return new AdmissionRequestView(
                apiVersion,
                uid,
                group == null ? "" : group,
                version == null ? "" : version,
                kindName,
                request.path("resource").path("resource").asText(""),
                operation,
                textOrNull(request, "namespace"),
                textOrNull(request, "name"),
                dryRun.asBoolean(false),
                objectOrNull(request, "object"),
                objectOrNull(request, "oldObject"));
    }

    /**
     * The response envelope, written once for every answer: {@code response.uid} echoes the request's, in the
     * request's AdmissionReview version; {@code patchType} and the base64 patch only when there is a patch;
     * warnings when there are any; {@code status} with causes when denied.
     */
    public byte[] write(Outcome outcome) {
        AdmissionRequestView request = outcome.request();
        ObjectNode root = mapper.createObjectNode();
        root.put("apiVersion", request.reviewApiVersion());
        root.put("kind", "AdmissionReview");
        ObjectNode response = root.putObject("response");
        response.put("uid", request.uid());
        response.put("allowed", outcome.allowed());
        if (outcome.patched()) {
            response.put("patchType", "JSONPatch");
            response.put("patch", Base64.getEncoder().encodeToString(bytes(outcome.patch())));
        }
        if (!outcome.warnings().isEmpty()) {
            ArrayNode warnings = response.putArray("warnings");
            outcome.warnings().forEach(w -> warnings.add(ResponseText.warning(w.summary())));
        }
        if (!outcome.allowed()) {
            writeDenial(response.putObject("status"), outcome);
        }
        return bytes(root);
    }

    private byte[] bytes(JsonNode tree) {
        try {
            return mapper.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }

    private static void writeDenial(ObjectNode status, Outcome outcome) {
        AdmissionRequestView request = outcome.request();
        Decision decision = outcome.decision();
        int code = outcome.code();
        status.put("status", "Failure");
        status.put("code", code);
        status.put("reason", code == 422 ? "Invalid" : code == 400 ? "BadRequest" : "Forbidden");
        status.put("message", ResponseText.message(decision.denials().stream().map(Finding::message)
                .collect(Collectors.joining("\n"))));
        ObjectNode details = status.putObject("details");
        if (request.name() != null) {
            details.put("name", request.name());
        }
        details.put("group", request.group());
        details.put("kind", request.resource().isEmpty() ? request.kind().toLowerCase(Locale.ROOT) : request.resource());
        ArrayNode causes = details.putArray("causes");
        for (Finding denial : decision.denials()) {
            for (Cause cause : denial.causes()) {
                ObjectNode node = causes.addObject();
                node.put("reason", cause.reason());
                node.put("message", ResponseText.message(cause.message()));
                node.put("field", cause.field());
            }
        }
    }

    private static Operation operation(String value) {
        if (value == null) {
            throw new BadReviewException("request.operation is missing");
        }
        try {
            return Operation.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new BadReviewException("request.operation must be CREATE, UPDATE, DELETE or CONNECT, got '"
                    + value + "'");
        }
    }

    private static String textOrNull(JsonNode parent, String field) {
        return textOrNull(parent, field, "request." + field);
    }

    private static String textOrNull(JsonNode parent, String field, String path) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new BadReviewException(path + " must be a string");
        }
        return node.asText();
    }

    private static JsonNode objectOrNull(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        return node.isMissingNode() || node.isNull() ? null : node;
    }
}
