package io.meshguard.server;

import io.meshguard.admission.ResponseText;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ServerHttpRequest;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * A client's fault is not meshguard's: a request body that breaks HTTP framing (a bad chunk size, a chunk size that
 * overflows, a chunk without its CRLF, a chunk extension longer than a line may be), a body that stalls or never
 * finishes, a chunked body over the size cap, a request head that never finishes. Each is answered 400, 408 or 413
 * where the connection still allows an answer (closed where it does not), logged at debug with no stack trace, and
 * counted as {@code meshguard_errors_total{type="client"}}, never as {@code type="internal"}, the one to alert on.
 */
@ApplicationScoped
public class ClientFaults {

    private static final Logger LOG = Logger.getLogger(ClientFaults.class);

    /** The {@code type} tag of {@code meshguard_errors_total} for a client's fault. */
    static final String TYPE = "client";

    /**
     * Set on a connection once a fault is counted on it. Every client fault ends its connection, and several parts of
     * the server may see the same one (the HTTP decoder, the request deadline, the request reading the body): it is
     * counted once.
     */
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("meshguard.client-fault");

    /** The most characters of a fault's description (which may quote a parser's message) put in an answer. */
    static final int DESCRIPTION = 200;

    @Inject
    AdmissionMetrics metrics;

    /** What went wrong, and the status that says so. */
    record Fault(int status, String description) {
    }

    /** Counts and logs a client's fault, once per connection. */
    void record(Channel connection, String description) {
        if (connection.attr(COUNTED).setIfAbsent(Boolean.TRUE) != null) {
            return;
        }
        LOG.debugf("client fault from %s: %s", connection.remoteAddress(), description);
        metrics.recordError(TYPE);
    }

    /** The netty channel under a vert.x request (vert.x's own connections are all {@link ConnectionBase}). */
    static Channel channel(HttpServerRequest request) {
        return ((ConnectionBase) request.connection()).channel();
    }

    /**
     * The answer for an exception that reached the error contract, when it is the client's fault, else null. The
     * body of every webhook request is read whole before meshguard looks at it, so an I/O failure while the request
     * had not ended is the body failing to arrive: broken framing (the HTTP decoder's failure), a stall past the read
     * timeout, the size cap, or the connection closed under it (by the client, or by the request deadline).
     */
    Response answer(Throwable e, ServerRequestContext context) {
        if (!(e instanceof IOException) || !(context instanceof ResteasyReactiveRequestContext request)) {
            return null;
        }
        ServerHttpRequest http = request.serverRequest();
        if (http.isRequestEnded()) {
            return null;
        }
        RoutingContext routing = http.unwrap(RoutingContext.class);
        HttpServerResponse response = routing == null ? null : routing.response();
        Fault fault = classify(e, response);
        if (routing != null) {
            record(channel(routing.request()), fault.description());
        }
        if (response == null || response.headWritten() || response.closed()) {
            // Answered already (413 by the body limit, 408 by the deadline, 400 by the framing check) or gone:
            // a response without entity writes nothing more.
            return Response.status(fault.status()).build();
        }
        response.endHandler(done -> routing.request().connection().close());
        return Response.status(fault.status())
                .type(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONNECTION.toString(), "close")
                .entity(Map.of("code", fault.status(), "message", fault.description()))
                .build();
    }

    static Fault classify(Throwable e, HttpServerResponse response) {
        if (response != null && response.getStatusCode() == 413 && response.headWritten()) {
            return new Fault(413, "the request body is over the size limit");
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage());
            if (message.equals("Request too large")) {
                return new Fault(413, "the request body is over the size limit");
            }
            if (message.equals("Read timed out")) {
                return new Fault(408, "the request body stalled past the read timeout");
            }
            if (cause instanceof DecoderException || cause instanceof NumberFormatException) {
                return new Fault(400, "the request body's HTTP framing is malformed (" + bounded(cause) + ")");
            }
            if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
                return new Fault(408, "the connection closed before the request body arrived");
            }
        }
        return new Fault(400, "the request body could not be read (" + bounded(e) + ")");
    }

    /** A client-triggered exception's message for an answer or a log line: bounded, one line. */
    static String bounded(Throwable e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return ResponseText.message(text, DESCRIPTION);
    }

    /** The error contract's body, {@code {"code":..,"message":..}}, as bytes written outside JAX-RS. */
    static String errorBody(int status, String message) {
        return new JsonObject().put("code", status).put("message", message).encode();
    }
}
