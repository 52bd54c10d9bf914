package io.meshguard.admission;

/** Where {@link MeasuredWebhook} reports each review: answered or failed, and how long it took. */
public interface ReviewMeter {

    void answered(String webhook, Outcome outcome, long nanos);

    /**
     * @param request the review as far as it was read, or null
     * @param status the HTTP status the failure is answered with (400, 503, 500)
     */
    void failed(String webhook, AdmissionRequestView request, int status, long nanos);
}
