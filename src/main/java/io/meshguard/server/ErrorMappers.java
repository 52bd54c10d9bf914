package io.meshguard.server;

import io.meshguard.admission.BadReviewException;
import io.meshguard.admission.NotReadyException;
import io.meshguard.admission.ResponseText;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * The error contract: a body that is not an AdmissionReview is 400; the framework's own refusals (415,
 * 413, 405) keep their status; anything else is 500, so the webhook's failurePolicy decides and nothing is
 * allowed by accident.
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

    @ServerExceptionMapper
    public Response internal(Throwable e, ServerRequestContext context) {
        Response clientFault = clientFaults.answer(e, context); // a body that never arrived whole: 4xx, not internal
        if (clientFault != null) {
            return clientFault;
        }
        LOG.error("review failed with an internal error; answering 500 so the failurePolicy decides", e);
        metrics.recordError("internal");
        return error(500, "meshguard failed internally (" + e.getClass().getSimpleName()
                + "); the webhook's failurePolicy decides. See meshguard's log.");
    }

    private static Response error(int status, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", status, "message", ResponseText.message(message)))
                .build();
    }
}
