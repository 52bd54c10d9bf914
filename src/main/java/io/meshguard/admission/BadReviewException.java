package io.meshguard.admission;

/** The body is not an AdmissionReview meshguard can answer; the caller gets 400 and this message. */
public class BadReviewException extends RuntimeException {

    public BadReviewException(String message) {
        super(message);
    }
}
