package io.meshguard.mesh.listener;

/** istiod's {@code ListenerProtocol}: how a service port is served on an outbound listener. */
public enum ListenerProtocol {
    /** A network filter chain per service (TCP, TLS, HTTPS, Mongo, Redis, MySQL). */
    TCP,
    /** An HTTP connection manager; services are virtual hosts of one route table per port. */
    HTTP,
    /** Protocol sniffing: a TCP chain and an HTTP chain (unset and unknown protocols). */
    AUTO,
    /** No outbound listener at all (UDP). */
    UNKNOWN
}
