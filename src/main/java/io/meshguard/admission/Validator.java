package io.meshguard.admission;

import io.meshguard.rules.Decision;

/**
 * Judges one kind of object, already read into its view {@code T} by the route ({@link KindRoute}). The route has
 * checked the kind, version and operation, and read the object; a validator only decides. The request is there
 * for what the object does not say: dry run, namespace, name.
 */
public interface Validator<T> {

    Decision create(AdmissionRequestView request, T object);

    /** @param old the stored version, or null when the API server did not send it */
    default Decision update(AdmissionRequestView request, T old, T object) {
        return create(request, object);
    }

    /** @param old the stored version, or null when it was not sent or could not be read */
    default Decision delete(AdmissionRequestView request, T old) {
        return Decision.ALLOW;
    }
}
