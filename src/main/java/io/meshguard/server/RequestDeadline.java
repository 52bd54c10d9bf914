package io.meshguard.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Closes the connection of a request whose body has not fully arrived within {@code meshguard.request-deadline}
 * (30 s: the API server gives a webhook at most 30 s, so no real review takes longer), after a 408 answer. A client
 * trickling a 7 MiB body holds its buffer only that long. The idle timeout cannot do this: a trickle is never idle.
 * It is the client's fault, counted as such ({@link ClientFaults}).
 */
@ApplicationScoped
public class RequestDeadline {

    @Inject
    MeshguardConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ClientFaults faults;

    void install(@Observes Router router) {
        long deadline = config.requestDeadline().toMillis();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                long timer = vertx.setTimer(deadline, id -> {
                    if (!request.isEnded() && !ctx.response().ended()) {
                        faults.record(ClientFaults.channel(request), "the request did not arrive within " + deadline
                                + " ms; answered 408 and closed");
                        timeOut(ctx);
                    }
                });
                ctx.addEndHandler(done -> vertx.cancelTimer(timer));
                request.connection().closeHandler(closed -> vertx.cancelTimer(timer));
            }
            if (request.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                // The body limit refuses a declared length over it before any handler reads the body. (A chunked body
                // over it fails while being read, and is counted there.)
                ctx.addHeadersEndHandler(written -> {
                    if (ctx.response().getStatusCode() == 413) {
                        faults.record(ClientFaults.channel(request), "the declared body length is over the size limit;"
                                + " answered 413 and closed");
                    }
                });
            }
            ctx.next();
        });
    }

    /** 408 with the error contract's body, then the connection closed; only closed if a response has begun. */
    private static void timeOut(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten() || response.closed()) {
            ctx.request().connection().close();
            return;
        }
        response.setStatusCode(408)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(ClientFaults.errorBody(408, "the request did not arrive whole in time"))
                .onComplete(done -> ctx.request().connection().close());
    }
}
