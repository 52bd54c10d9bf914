package io.meshguard.server;

import io.meshguard.admission.BadReviewException;
import io.meshguard.admission.NotReadyException;
import io.meshguard.admission.ResponseText;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * The error contract: a body that is not an AdmissionReview is 400; the framework's own refusals (415,
 * 413, 405) keep their status; anything else is 500, so the webhook's failurePolicy decides and nothing is
 * allowed by accident.
 *
 * <p>A request has one answer. When a failure comes after an answer has begun (the request deadline's 408, or this
 * request's own answer being written when the client hung up), nothing more is written: an entity here would be
 * written by the resource's own writer, which takes bytes, not an error body.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @Inject
    AdmissionMetrics metrics;

    @ServerExceptionMapper
    public Response badReview(BadReviewException e) {
        metrics.recordError("bad_request");
        return error(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notReady(NotReadyException e) {
        metrics.recordError("not_ready");
        return error(503, e.getMessage());
    }

    @ServerExceptionMapper
    public Response framework(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        metrics.recordError("http_" + status);
        return error(status, e.getMessage());
    }

    @Inject
    ClientFaults clientFaults;

    /** The deadline answered 408 (and counted it) while the body arrived; its late end gets nothing more. */
    @ServerExceptionMapper
    public Response deadlinePassed(RequestDeadline.Passed e) {
        return Response.status(408).build();
    }

    @ServerExceptionMapper
    public Response internal(Throwable e, ServerRequestContext context) {
        Response clientFault = clientFaults.answer(e, context); // a body that never arrived whole: 4xx, not internal
        if (clientFault != null) {
            return clientFault;
        }
        RoutingContext routing = context instanceof ResteasyReactiveRequestContext request
                ? request.serverRequest().unwrap(RoutingContext.class) : null;
        HttpServerResponse response = routing == null ? null : routing.response();
        if (response != null && (response.headWritten() || response.closed())) {
            return afterAnswer(e, routing, response);
        }
        LOG.error("review failed with an internal error; answering 500 so the failurePolicy decides", e);
        metrics.recordError("internal");
        return error(500, "meshguard failed internally (" + e.getClass().getSimpleName()
                + "); the webhook's failurePolicy decides. See meshguard's log.");
    }

    /** A failure once an answer has begun or the connection is gone: no second answer, counted once. */
    private Response afterAnswer(Throwable e, RoutingContext routing, HttpServerResponse response) {
        if (RequestDeadline.answered(routing)) {
            LOG.debugf("request answered 408 by the request deadline failed afterwards: %s", ClientFaults.bounded(e));
            return Response.status(408).build();
        }
        if (response.closed()) {
            clientFaults.record(ClientFaults.channel(routing.request()), "the connection closed before the answer was"
                    + " written (" + ClientFaults.bounded(e) + ")");
            return Response.status(500).build();
        }
        LOG.error("writing an answer failed; closing the connection", e);
        metrics.recordError("internal");
        routing.request().connection().close();
        return Response.status(500).build();
    }

    private static Response error(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", status, "message", ResponseText.message(message)))
                .build();
    }
}
