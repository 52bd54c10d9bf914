package io.meshguard.mesh;

import java.util.Locale;

/**
 * How Envoy builds the outbound listener for a ServiceEntry port. Istio decides this from
 * {@code ports[].protocol} alone; the port name does not count.
 */
public enum ProtocolClass {
    /** Raw TCP proxying: one catch-all filter chain per listener. Unset and unknown protocols land here. */
    OPAQUE,
    /** Filter chains selected by SNI. */
    TLS,
    /** One virtual host per service; never collides with another HTTP service. */
    HTTP,
    /** Istio builds no listener for UDP. */
    UDP;

    public static ProtocolClass of(String protocol) {
        return switch (normalize(protocol)) {
            case "TLS", "HTTPS" -> TLS;
            case "HTTP", "HTTP2", "GRPC", "GRPC-WEB", "HTTP_PROXY" -> HTTP;
            case "UDP" -> UDP;
            default -> OPAQUE;
        };
    }

    /** Upper-case protocol name; unset reads as the empty string. */
    public static String normalize(String protocol) {
        return protocol == null ? "" : protocol.trim().toUpperCase(Locale.ROOT);
    }

    /** MySQL and Mongo filters make Envoy drop a newer service of another protocol on the same listener. */
    public static boolean dropsOtherProtocols(String normalizedProtocol) {
        return normalizedProtocol.equals("MYSQL") || normalizedProtocol.equals("MONGO");
    }
}
