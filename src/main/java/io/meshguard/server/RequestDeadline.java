package io.meshguard.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Closes the connection of a request whose body has not fully arrived within {@code meshguard.request-deadline}
 * (30 s: the API server gives a webhook at most 30 s, so no real review takes longer). A client trickling a 7 MiB
 * body holds its buffer only that long. The idle timeout cannot do this: a trickle is never idle.
 */
@ApplicationScoped
public class RequestDeadline {

    private static final Logger LOG = Logger.getLogger(RequestDeadline.class);

    @Inject
    MeshguardConfig config;

    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        long deadline = config.requestDeadline().toMillis();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                long timer = vertx.setTimer(deadline, id -> {
                    if (!request.isEnded() && !ctx.response().ended()) {
                        LOG.debugf("closing a connection from %s: its request did not arrive within %d ms",
                                request.remoteAddress(), deadline);
                        request.connection().close();
                    }
                });
                ctx.addEndHandler(done -> vertx.cancelTimer(timer));
                request.connection().closeHandler(closed -> vertx.cancelTimer(timer));
            }
            ctx.next();
        });
    }
}
