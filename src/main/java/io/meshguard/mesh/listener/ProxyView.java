package io.meshguard.mesh.listener;

import io.meshguard.mesh.MeshConfig;

/**
 * What of a sidecar proxy changes its outbound listeners, as modelled: an IPv4 or dual-stack sidecar whose
 * primary wildcard is {@code 0.0.0.0}, with or without DNS capture. With DNS capture it binds auto-allocated
 * addresses ({@code nodeUsesAutoallocatedIPs}: {@code ISTIO_META_DNS_CAPTURE} and istiod's
 * {@code PILOT_ENABLE_IP_AUTOALLOCATE}, on by default).
 */
public record ProxyView(boolean consumesAutoAllocatedIps) {

    public static final String WILDCARD = "0.0.0.0";

    public static ProxyView of(MeshConfig mesh) {
        return new ProxyView(mesh.dnsCapture());
    }
}
