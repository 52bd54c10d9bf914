package io.meshguard.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.spi.tls.SslContextFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * What the HTTP/1.1 server has no setting for, done on each TLS connection's netty pipeline:
 * <ul>
 * <li>a request head (request line and headers) must arrive whole within {@code meshguard.head-timeout} of its first
 * byte: a client trickling its headers is answered 408 and closed, not held for the idle timeout, which every byte
 * resets;</li>
 * <li>a request body whose chunked framing is broken is answered 400 before the connection closes (the server alone
 * would close it without a word).</li>
 * </ul>
 * The clock sits after TLS and before the HTTP decoder, where it sees a head's first bytes; a marker after the HTTP
 * codec sees a head complete, a request end and a response start. It is installed when a connection's TLS handshake
 * completes, through the one hook vert.x offers there: the SSL context that makes each connection's TLS handler.
 * Idle keep-alive connections are not timed: the clock starts on the first byte after the previous request ended.
 */
final class HeadDeadline {

    /** Told, on the event loop, of a client's fault seen in the HTTP framing: a head late, malformed or too large, a body's framing broken. */
    interface Faults {
        void fault(Channel channel, String description);
    }

    static final String CLOCK = "meshguard-head-clock";
    static final String MARKER = "meshguard-head-marker";

    private final long millis;
    private final Faults faults;

    HeadDeadline(long millis, Faults faults) {
        this.millis = millis;
        this.faults = faults;
    }

    /** JDK TLS as vert.x would use it, with each connection's TLS handler watched for its handshake. */
    JdkSSLEngineOptions engineOptions(JdkSSLEngineOptions base) {
        return new EngineOptions(base == null ? new JdkSSLEngineOptions() : base, this);
    }

    private static final class EngineOptions extends JdkSSLEngineOptions {
        private final HeadDeadline deadline;

        EngineOptions(JdkSSLEngineOptions base, HeadDeadline deadline) {
            super(base);
            this.deadline = deadline;
        }

        @Override
        public JdkSSLEngineOptions copy() {
            return new EngineOptions(this, deadline);
        }

        @Override
        public SslContextFactory sslContextFactory() {
            return new Factory(super.sslContextFactory(), deadline);
        }
    }

    private record Factory(SslContextFactory delegate, HeadDeadline deadline) implements SslContextFactory {
        @Override
        public SslContextFactory useAlpn(boolean useAlpn) {
            delegate.useAlpn(useAlpn);
            return this;
        }

        @Override
        public SslContextFactory clientAuth(io.netty.handler.ssl.ClientAuth clientAuth) {
            delegate.clientAuth(clientAuth);
            return this;
        }

        @Override
        public SslContextFactory forClient(boolean forClient) {
            delegate.forClient(forClient);
            return this;
        }

        @Override
        public SslContextFactory keyMananagerFactory(javax.net.ssl.KeyManagerFactory kmf) {
            delegate.keyMananagerFactory(kmf);
            return this;
        }

        @Override
        public SslContextFactory trustManagerFactory(javax.net.ssl.TrustManagerFactory tmf) {
            delegate.trustManagerFactory(tmf);
            return this;
        }

        @Override
        public SslContextFactory enabledCipherSuites(java.util.Set<String> enabledCipherSuites) {
            delegate.enabledCipherSuites(enabledCipherSuites);
            return this;
        }

        @Override
        public SslContextFactory applicationProtocols(java.util.List<String> applicationProtocols) {
            delegate.applicationProtocols(applicationProtocols);
            return this;
        }

        @Override
        public SslContextFactory serverName(String serverName) {
            delegate.serverName(serverName);
            return this;
        }

        @Override
        public SslContext create() throws SSLException {
            SslContext context = delegate.create();
            if (context.isClient()) {
                return context;
            }
            return new DelegatingSslContext(context) {
                @Override
                protected void initEngine(SSLEngine engine) {
                }

                @Override
                protected void initHandler(SslHandler handler) {
                    deadline.watch(handler);
                }
            };
        }
    }

    /** Once the handshake is done, the clock goes right after TLS: before the HTTP decoder vert.x adds next. */
    private void watch(SslHandler tls) {
        tls.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                return;
            }
            Channel channel = (Channel) done.getNow();
            ChannelPipeline pipeline = channel.pipeline();
            ChannelHandlerContext tlsContext = pipeline.context(tls);
            if (tlsContext != null && pipeline.get(CLOCK) == null) {
                pipeline.addAfter(tlsContext.name(), CLOCK, new Clock());
            }
        });
    }

    private static final byte[] TIMEOUT = raw(408, "Request Timeout", ClientFaults.errorBody(408,
            "the request head did not arrive in time"));

    static byte[] raw(int status, String reason, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\ncontent-type: application/json\r\ncontent-length: "
                + body.length + "\r\nconnection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /** One per connection, after TLS: decrypted bytes pass it before the HTTP decoder parses them. */
    private final class Clock extends ChannelInboundHandlerAdapter {
        private ChannelHandlerContext context;
        private ScheduledFuture<?> timer;
        private boolean awaitingHead = true;
        private boolean answered;
        private boolean marked;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!marked) {
                marked = true;
                mark(ctx.pipeline());
            }
            if (awaitingHead && timer == null && msg instanceof ByteBuf bytes && bytes.isReadable()) {
                timer = ctx.executor().schedule(this::expire, millis, TimeUnit.MILLISECONDS);
            }
            ctx.fireChannelRead(msg);
        }

        /** The marker goes after the HTTP codec, where heads, request ends and responses are objects. */
        private void mark(ChannelPipeline pipeline) {
            ChannelHandlerContext encoder = pipeline.context(HttpResponseEncoder.class);
            if (encoder == null || pipeline.context(HttpRequestDecoder.class) == null) {
                // Not HTTP/1.1 over this pipeline: nothing to time.
                pipeline.remove(this);
                return;
            }
            pipeline.addAfter(encoder.name(), MARKER, new Marker(this));
        }

        void headArrived() {
            awaitingHead = false;
            cancel();
        }

        void requestEnded() {
            awaitingHead = true;
            cancel();
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        private void expire() {
            timer = null;
            if (!awaitingHead || !context.channel().isActive()) {
                return;
            }
            faults.fault(context.channel(), "the request head did not arrive within " + millis
                    + " ms; answered 408 and closed");
            answer(TIMEOUT);
        }

        /** Writes a whole response below the HTTP encoder and closes: for when vert.x has no request to answer. */
        void answer(byte[] response) {
            if (answered || !context.channel().isActive()) {
                return;
            }
            answered = true;
            context.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }
    }

    /** After the HTTP codec: a head complete, a request ended, a response begun, a body's framing broken. */
    private final class Marker extends ChannelDuplexHandler {
        private final Clock clock;
        /** Whether the current request already has (part of) a response on the wire. */
        private boolean responding;

        Marker(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            // A head that fails to parse arrives as a failed request, which vert.x answers (400, 414, 431) itself.
            if (msg instanceof HttpRequest head) {
                responding = false;
                clock.headArrived();
                Throwable failure = head.decoderResult().cause();
                if (failure instanceof PrematureChannelClosureException && !clock.answered) {
                    faults.fault(ctx.channel(), "the connection closed before the request head arrived whole");
                } else if (failure != null && !clock.answered) {
                    faults.fault(ctx.channel(), "the request head is malformed or too large ("
                            + ClientFaults.bounded(failure) + "); vert.x answers and closes");
                }
            }
            if (msg instanceof HttpContent content && !(msg instanceof HttpRequest) && content.decoderResult().isFailure()) {
                Throwable failure = content.decoderResult().cause();
                if (failure instanceof PrematureChannelClosureException) {
                    // Closed mid-body: by the client, or by meshguard after a limit it counted already.
                    faults.fault(ctx.channel(), "the connection closed before the request body arrived whole");
                } else {
                    String why = "the request body's HTTP framing is malformed (" + ClientFaults.bounded(failure) + ")";
                    faults.fault(ctx.channel(), why);
                    if (!responding && ctx.channel().isActive()) {
                        // vert.x fails the request and closes the connection without a word; the client hears why.
                        clock.answer(raw(400, "Bad Request", ClientFaults.errorBody(400, why)));
                    }
                }
            } else if (msg instanceof LastHttpContent) {
                clock.requestEnded();
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse) {
                responding = true;
            }
            ctx.write(msg, promise);
        }
    }
}
