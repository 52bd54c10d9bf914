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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closes the connection of a request whose body has not fully arrived within {@code meshguard.request-deadline}
 * (30 s: the API server gives a webhook at most 30 s, so no real review takes longer), after a 408 answer. A client
 * trickling a 7 MiB body holds its buffer only that long. The idle timeout cannot do this: a trickle is never idle.
 * It is the client's fault, counted as such ({@link ClientFaults}).
 *
 * <p>A request has one answer: the deadline's 408 or the review's. The body is read in pieces, on demand, so the
 * review can start (its body whole) a moment before vert.x marks the request ended, and the body's last bytes can
 * still be read after the 408 went out. So the two claim the answer, and the first one wins: a review that claimed it
 * is judged and answered however long it takes (the API server's own timeout bounds that), and one the deadline
 * claimed is neither judged (nothing is learned or reserved for a client told 408) nor answered again
 * ({@link Passed}, answered with nothing more).
 */
@ApplicationScoped
public class RequestDeadline {

    @Inject
    MeshguardConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ClientFaults faults;

    /** The routing context's claim on the request's answer: an {@link AtomicInteger} holding one of the below. */
    private static final String CLAIM = "meshguard.request-deadline.claim";
    private static final int OPEN = 0;
    private static final int DEADLINE = 1;
    private static final int REVIEW = 2;

    /** Thrown where a request the deadline has already answered would be judged: it has had its answer. */
    static final class Passed extends RuntimeException {
        Passed() {
            super("the request deadline has answered this request", null, false, false);
        }
    }

    /** Whether the deadline has answered this request (408, closed) while its body was still arriving. */
    static boolean answered(RoutingContext ctx) {
        AtomicInteger claim = ctx == null ? null : ctx.get(CLAIM);
        return claim != null && claim.get() == DEADLINE;
    }

    /**
     * Claims the answer for the review, before it is judged.
     *
     * @throws Passed when the deadline has answered this request already
     */
    static void claimForReview(RoutingContext ctx) {
        AtomicInteger claim = ctx == null ? null : ctx.get(CLAIM);
        if (claim != null && !claim.compareAndSet(OPEN, REVIEW) && claim.get() == DEADLINE) {
            throw new Passed();
        }
    }

    void install(@Observes Router router) {
        long deadline = config.requestDeadline().toMillis();
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            HttpServerRequest request = ctx.request();
            if (!request.isEnded()) {
                AtomicInteger claim = new AtomicInteger(OPEN);
                ctx.put(CLAIM, claim);
                long timer = vertx.setTimer(deadline, id -> {
                    if (!request.isEnded() && !ctx.response().ended() && claim.compareAndSet(OPEN, DEADLINE)) {
                        faults.record(ClientFaults.channel(request), "the request did not arrive within " + deadline
                                + " ms; answered 408 and closed");
                        timeOut(ctx);
                    }
                });
                ctx.addEndHandler(done -> vertx.cancelTimer(timer));
                request.connection().closeHandler(closed -> vertx.cancelTimer(timer));
            }
            // The body limit refuses a declared length over it before any handler reads the body, and a chunked body
            // once it grows past the limit. The reader of a chunked body may then fail and count the fault too, or
            // may not get the chance, depending on timing: the 413 is counted here (once per connection either way).
            ctx.addHeadersEndHandler(written -> {
                if (ctx.response().getStatusCode() == 413) {
                    faults.record(ClientFaults.channel(request), "the request body is over the size limit;"
                            + " answered 413 and closed");
                }
            });
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
