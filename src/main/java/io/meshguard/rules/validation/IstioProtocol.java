package io.meshguard.rules.validation;

import java.util.Locale;

/**
 * A port protocol as istiod parses it ({@code protocol.Parse}): case-insensitive, and anything it does not know,
 * the empty string included, is {@link #UNSUPPORTED}. (Istio's own list has HBONE kinds that its parser never
 * returns for user input; they parse as unsupported here too.)
 */
enum IstioProtocol {
    TCP, UDP, GRPC, GRPC_WEB, HTTP, HTTP_PROXY, HTTP2, HTTPS, TLS, MONGO, REDIS, MYSQL, UNSUPPORTED;

    static IstioProtocol parse(String protocol) {
        return switch (protocol.toLowerCase(Locale.ROOT)) {
            case "tcp" -> TCP;
            case "udp" -> UDP;
            case "grpc" -> GRPC;
            case "grpc-web" -> GRPC_WEB;
            case "http" -> HTTP;
            case "http_proxy" -> HTTP_PROXY;
            case "http2" -> HTTP2;
            case "https" -> HTTPS;
            case "tls" -> TLS;
            case "mongo" -> MONGO;
            case "redis" -> REDIS;
            case "mysql" -> MYSQL;
            default -> UNSUPPORTED;
        };
    }

    boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == HTTP_PROXY || this == GRPC || this == GRPC_WEB;
    }

    boolean isTcp() {
        return this == TCP || this == HTTPS || this == TLS || this == MONGO || this == REDIS || this == MYSQL;
    }

    boolean isTls() {
        return this == HTTPS || this == TLS;
    }
}
