package io.meshguard.server;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Connection limits of the HTTPS server that Quarkus has no setting for (docs/operations.md, "Connection limits"):
 * client-initiated TLS renegotiation is refused, and a request head must arrive whole within
 * {@code meshguard.head-timeout} ({@link HeadDeadline}). Applied while the server's options are built, before it
 * listens.
 */
@Singleton
public class ConnectionLimits implements HttpServerOptionsCustomizer {

    private static final Logger LOG = Logger.getLogger(ConnectionLimits.class);

    /**
     * A TLS 1.2 client may ask for a new handshake on an open connection as often as it likes, and each costs the
     * server far more CPU than the client. The JDK refuses them all with this property, which it reads once, when
     * its first server-side handshake happens: this runs before the server listens, so before any handshake.
     * TLS 1.3 has no renegotiation.
     */
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    @Inject
    MeshguardConfig config;

    @Inject
    ClientFaults faults;

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        refuseRenegotiation();
        SSLEngineOptions engine = options.getSslEngineOptions();
        if (engine != null && !(engine instanceof JdkSSLEngineOptions)) {
            LOG.warnf("TLS engine %s is not the JDK's: request heads are not timed (meshguard.head-timeout)",
                    engine.getClass().getSimpleName());
            return;
        }
        HeadDeadline deadline = new HeadDeadline(config.headTimeout().toMillis(),
                faults::record);
        options.setSslEngineOptions(deadline.engineOptions((JdkSSLEngineOptions) engine));
    }

    static void refuseRenegotiation() {
        String set = System.getProperty(REJECT_RENEGOTIATION);
        if (set == null) {
            System.setProperty(REJECT_RENEGOTIATION, "true");
        } else if (!Boolean.parseBoolean(set)) {
            LOG.warnf("%s=%s: clients may renegotiate TLS 1.2 handshakes at will", REJECT_RENEGOTIATION, set);
        }
    }
}
