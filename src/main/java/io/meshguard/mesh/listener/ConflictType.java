package io.meshguard.mesh.listener;

/** istiod's conflict types of {@code buildSidecarOutboundListener} (listener.go). */
public enum ConflictType {
    NO_CONFLICT, HTTP_OVER_TCP, TCP_OVER_HTTP, TCP_OVER_TCP, TCP_OVER_AUTO, AUTO_OVER_HTTP, AUTO_OVER_TCP
}
