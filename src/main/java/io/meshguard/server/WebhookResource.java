package io.meshguard.server;

import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.Webhook;
import io.vertx.core.http.HttpHeaders;
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
 *
 * <p>An answer of {@link #COMPRESS_FROM} bytes or more is gzipped when the client accepts it, as the API server's does.
 * Quarkus marks every response {@code Content-Encoding: identity} (not compressed) once compression is on; taking
 * the mark off lets Vert.x compress. A smaller answer would only grow.
 */
@Path("/")
public class WebhookResource {

    /** A denial with one finding is about 2 KiB; an allowed answer, with or without a warning, well under 1 KiB. */
    static final int COMPRESS_FROM = 1024;

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
        return compressible(codec.write(validating.review(body)), routing);
    }

    @POST
    @Path("mutate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] mutate(byte[] body, RoutingContext routing) {
        RequestDeadline.claimForReview(routing);
        return compressible(codec.write(mutating.review(body)), routing);
    }

    private static byte[] compressible(byte[] answer, RoutingContext routing) {
        if (answer.length >= COMPRESS_FROM) {
            routing.response().headers().remove(HttpHeaders.CONTENT_ENCODING);
        }
        return answer;
    }
}
