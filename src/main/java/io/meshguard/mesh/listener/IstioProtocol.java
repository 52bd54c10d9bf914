package io.meshguard.mesh.listener;

/**
 * A port's protocol as istiod reads it: {@code protocol.Parse} (pkg/config/protocol/instance.go). The written
 * text is lower-cased the way Go's {@code strings.ToLower} does and compared whole: no trimming, so {@code "UDP "}
 * and {@code "udp\u0000"} are unknown, and unknown (like unset) is {@link #UNSUPPORTED}, which istiod serves with
 * protocol sniffing.
 */
public enum IstioProtocol {
    TCP, UDP, GRPC, GRPC_WEB, HTTP, HTTP_PROXY, HTTP2, HTTPS, TLS, MONGO, REDIS, MYSQL, UNSUPPORTED;

    /** {@code protocol.Parse}. */
    public static IstioProtocol parse(String written) {
        if (written == null || written.isEmpty() || written.length() > 10) {
            return UNSUPPORTED;
        }
        return switch (goToLower(written)) {
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
            // istiod's "DoubleHBONE" case compares a lower-cased string with mixed case: it never matches.
            default -> UNSUPPORTED;
        };
    }

    /**
     * Go's {@code strings.ToLower} for what can matter here: ASCII letters, and the only two characters whose
     * simple lower case is ASCII (U+0130 to {@code i}, the Kelvin sign U+212A to {@code k}). Every other character
     * stays outside ASCII in either case, so it can never complete a protocol name. Locale-free by construction.
     */
    static String goToLower(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                out.append((char) (c + ('a' - 'A')));
            } else if (c == '\u0130') {
                out.append('i');
            } else if (c == '\u212A') {
                out.append('k');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code Instance.IsHTTP}. */
    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == HTTP_PROXY || this == GRPC || this == GRPC_WEB;
    }

    /** {@code Instance.IsTCP}. */
    public boolean isTcp() {
        return this == TCP || this == HTTPS || this == TLS || this == MONGO || this == REDIS || this == MYSQL;
    }

    /** {@code Instance.IsTLS}. */
    public boolean isTls() {
        return this == HTTPS || this == TLS;
    }

    /** {@code networking.ModelProtocolToListenerProtocol}. */
    public ListenerProtocol listenerProtocol() {
        if (isHttp()) {
            return ListenerProtocol.HTTP;
        }
        if (isTcp()) {
            return ListenerProtocol.TCP;
        }
        return this == UDP ? ListenerProtocol.UNKNOWN : ListenerProtocol.AUTO;
    }

    /** The name istiod uses in its own messages and metrics. */
    public String istioName() {
        return switch (this) {
            case GRPC_WEB -> "GRPC-Web";
            case MONGO -> "Mongo";
            case REDIS -> "Redis";
            case MYSQL -> "MySQL";
            case UNSUPPORTED -> "auto-detect";
            default -> name();
        };
    }
}
