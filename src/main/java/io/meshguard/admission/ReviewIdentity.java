package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import io.meshguard.rules.Words;
import java.util.List;

/**
 * Which object a review is about: the one {@code request.namespace} and {@code request.name} name, and whether the
 * objects the review carries agree with them.
 *
 * <p>The API server guarantees that they do. On CREATE it sets an object's empty namespace to the request's and
 * refuses another before admission ({@code rest.EnsureObjectNamespaceMatchesRequestNamespace}), and sends the
 * object's name as {@code request.name}: empty at the mutating webhooks when only {@code generateName} is set, the
 * generated name at the validating ones ({@code rest.AdmissionToValidateObjectFunc}). On UPDATE it refuses a body
 * whose name or namespace is not the URL's ({@code checkName}, "the name of the object (x) does not match the name
 * on the URL (y)"), and {@code oldObject} is the object stored under that name. A review whose names disagree was
 * not written by the API server for one object, and judging it would let one object's facts stand for another's: an
 * {@code oldObject} of another name would make the new object's collisions look pre-existing. It is denied, with
 * status code 400, whatever the failurePolicy.
 */
public final class ReviewIdentity {

    /** The code of the denial of a review whose names disagree. */
    public static final String MISMATCH = "IdentityMismatch";

    private ReviewIdentity() {
    }

    /**
     * What disagrees with the request's namespace and name, or null when nothing does. A name or namespace the
     * request leaves empty is the object's (as the API server fills it); one the object leaves empty is the request's.
     */
    static String mismatch(AdmissionRequestView request) {
        JsonNode object = request.object();
        String name = orEmpty(request.name());
        String namespace = orEmpty(request.namespace());
        String objectName = text(object, "name");
        String objectNamespace = text(object, "namespace");
        if (!name.isEmpty() && !name.equals(objectName)) {
            return "request.name is " + quote(name) + " but the object's metadata.name is " + quote(objectName);
        }
        if (!namespace.isEmpty() && !objectNamespace.isEmpty() && !namespace.equals(objectNamespace)) {
            return "request.namespace is " + quote(namespace) + " but the object's metadata.namespace is "
                    + quote(objectNamespace);
        }
        JsonNode old = request.oldObject();
        if (request.operation() != Operation.UPDATE || old == null) {
            return null;
        }
        String identityName = name.isEmpty() ? objectName : name;
        String identityNamespace = namespace.isEmpty() ? objectNamespace : namespace;
        String oldName = text(old, "name");
        String oldNamespace = text(old, "namespace");
        if (!oldName.equals(identityName)) {
            return "request.oldObject is " + quote((oldNamespace.isEmpty() ? identityNamespace : oldNamespace) + "/"
                    + oldName) + ", not the object under review, " + quote(identityNamespace + "/" + identityName);
        }
        if (!oldNamespace.isEmpty() && !identityNamespace.isEmpty() && !oldNamespace.equals(identityNamespace)) {
            return "request.oldObject is in namespace " + quote(oldNamespace) + ", not in "
                    + quote(identityNamespace) + " with the object under review";
        }
        return null;
    }

    /** The denial of a review whose names disagree: status code 400, the fields named. */
    static Decision denial(String kind, String mismatch) {
        String message = "meshguard does not judge this " + kind + " review: " + mismatch + ". The API server sends one"
                + " object's name everywhere in a review; a review whose names disagree is refused.";
        return Decision.of(List.of(new Finding(MISMATCH, Severity.DENY, "metadata.name", message, message, null, 0,
                List.of(new Cause(MISMATCH, "metadata.name", mismatch)))), List.of());
    }

    /** {@code metadata.<field>} of {@code object} when it is text, else empty (a wrong type is the reader's to refuse). */
    static String text(JsonNode object, String field) {
        if (object == null) {
            return "";
        }
        JsonNode value = object.path("metadata").path(field);
        return value.isTextual() ? value.asText() : "";
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static String quote(String value) {
        return "'" + Words.value(value) + "'";
    }
}
