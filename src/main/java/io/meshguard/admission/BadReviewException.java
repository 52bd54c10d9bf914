package io.meshguard.admission;

/** The body is not an AdmissionReview meshguard can answer; the caller gets 400 and this message. */
public class BadReviewException extends RuntimeException {

    private final transient AdmissionRequestView request;

    public BadReviewException(String message) {
        this(message, null);
    }

    /** @param request the review as far as it could be read, or null */
    public BadReviewException(String message, AdmissionRequestView request) {
        super(message);
        this.request = request;
    }

    /** The review as far as it could be read (its kind and operation, for metrics), or null. */
    public AdmissionRequestView request() {
        return request;
    }
}
