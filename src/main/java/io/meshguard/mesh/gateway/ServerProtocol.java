package io.meshguard.mesh.gateway;

import java.util.Locale;

/**
 * A Gateway server's {@code port.protocol}, read as istiod reads it: case-insensitive, anything it does not know
 * is {@link #UNSUPPORTED}. Mirrors Istio's {@code pkg/config/protocol} {@code Parse}, {@code IsHTTP}.
 */
public enum ServerProtocol {
    HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC_WEB, HTTPS, TLS, TCP, UDP, MONGO, REDIS, MYSQL, UNSUPPORTED;

    public static ServerProtocol parse(String protocol) {
        if (protocol == null) {
            return UNSUPPORTED;
        }
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "http" -> HTTP;
            case "http2" -> HTTP2;
            case "http_proxy" -> HTTP_PROXY;
            case "grpc" -> GRPC;
            case "grpc-web" -> GRPC_WEB;
            case "https" -> HTTPS;
            case "tls" -> TLS;
            case "tcp" -> TCP;
            case "udp" -> UDP;
            case "mongo" -> MONGO;
            case "redis" -> REDIS;
            case "mysql" -> MYSQL;
            default -> UNSUPPORTED;
        };
    }

    /** Protocols carried over HTTP, which istiod merges by virtual host on one port. */
    public boolean isHttp() {
        return switch (this) {
            case HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC_WEB -> true;
            default -> false;
        };
    }
}
