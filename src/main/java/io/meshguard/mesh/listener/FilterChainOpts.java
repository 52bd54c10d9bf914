package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServicePort;
import java.util.List;

/**
 * The filter chains istiod builds for one service port without a VirtualService (tls.go, listener.go):
 * {@code buildSidecarOutboundTLSFilterChainOpts} for TLS and HTTPS (SNI only where {@link SniMatch} says),
 * {@code buildSidecarOutboundTCPFilterChainOpts} for the other TCP protocols (a destination CIDR or nothing), and
 * {@code buildSidecarOutboundHTTPListenerOpts} for HTTP, which on the wildcard listener is selected by the HTTP
 * inspector.
 */
public final class FilterChainOpts {

    private FilterChainOpts() {
    }

    /** {@code buildSidecarOutboundTCPListenerOpts}: the TLS chain for TLS/HTTPS, else the plain TCP chain. */
    public static FilterChain tcpListenerOpts(MeshService service, ServicePort port, ListenerBinding binding,
            ProxyView proxy) {
        List<String> cidrs = binding.cidr() == null ? List.of() : List.of(binding.cidr());
        if (port.istioProtocol().isTls()) {
            List<String> sni = SniMatch.built(service, binding, proxy) ? List.of(service.hostname()) : List.of();
            return new FilterChain(service, port.number(), sni, cidrs, false, false);
        }
        return new FilterChain(service, port.number(), List.of(), cidrs, false, false);
    }

    /**
     * {@code buildSidecarOutboundHTTPListenerOpts}; {@code sniffed} when the HTTP inspector selects it
     * (an HTTP port on the wildcard listener, or the HTTP half of an auto-detect port).
     */
    public static FilterChain httpListenerOpts(MeshService service, ServicePort port, boolean sniffed) {
        return new FilterChain(service, port.number(), List.of(), List.of(), sniffed, true);
    }
}
