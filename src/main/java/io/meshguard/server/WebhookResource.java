package io.meshguard.server;

import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.Webhook;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The HTTP edge: bytes in, AdmissionReview out. What a review goes through is the webhook's pipeline and its
 * decorators ({@link AdmissionBeans}); errors are turned into the error contract by {@link ErrorMappers}. A request
 * the request deadline has already answered (408) is not judged ({@link RequestDeadline}).
 */
@Path("/")
public class WebhookResource {

    @Inject
    AdmissionReviewCodec codec;

    @Inject
    @Named("validate")
    Webhook validating;

    @Inject
    @Named("mutate")
    Webhook mutating;

    @POST
    @Path("validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] validate(byte[] body, RoutingContext routing) {
        RequestDeadline.claimForReview(routing);
        return codec.write(validating.review(body));
    }

    @POST
    @Path("mutate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] mutate(byte[] body, RoutingContext routing) {
        RequestDeadline.claimForReview(routing);
        return codec.write(mutating.review(body));
    }
}
