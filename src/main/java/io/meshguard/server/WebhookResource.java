package io.meshguard.server;

import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.MutatingAdmission;
import io.meshguard.admission.ValidatingAdmission;
import io.meshguard.rules.Decision;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The HTTP edge: bytes in, AdmissionReview out. Errors are turned into the error contract by {@link ErrorMappers}. */
@Path("/")
public class WebhookResource {

    @Inject
    AdmissionReviewCodec codec;

    @Inject
    ValidatingAdmission validating;

    @Inject
    AdmissionMetrics metrics;

    @Inject
    ClusterFeedLifecycle feed;

    @Inject
    MutatingAdmission mutating;

    @Inject
    CompanionsLifecycle companions;

    @POST
    @Path("validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] validate(byte[] body) {
        long started = System.nanoTime();
        if (!feed.ready()) {
            throw new IndexNotReadyException();
        }
        AdmissionRequestView request = codec.read(body);
        Decision decision = validating.validate(request);
        byte[] answer = codec.write(request, decision);
        metrics.recordReview("validate", request, decision, System.nanoTime() - started);
        return answer;
    }

    @POST
    @Path("mutate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] mutate(byte[] body) {
        long started = System.nanoTime();
        if (!feed.ready() || !companions.ready()) {
            throw new IndexNotReadyException();
        }
        AdmissionRequestView request = codec.read(body);
        MutatingAdmission.Mutation mutation = mutating.mutate(request);
        byte[] answer = codec.writeMutation(request, mutation.patch(), mutation.warnings());
        metrics.recordMutation(request, mutation, System.nanoTime() - started);
        return answer;
    }
}
