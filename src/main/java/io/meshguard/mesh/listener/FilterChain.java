package io.meshguard.mesh.listener;

import java.util.List;

/**
 * istiod's {@code filterChainOpts}, reduced to what decides which traffic it matches, and the service it serves.
 *
 * @param sniHosts server names matched ({@code sniHosts}); empty when no SNI match is built
 * @param destinationCidrs destination CIDRs matched, as written ({@code destinationCIDRs})
 * @param sniffedHttp an HTTP chain selected by the HTTP inspector ({@code applicationProtocols} and
 *     {@code transportProtocol: raw_buffer} set)
 * @param http an HTTP connection manager chain (else a network filter chain)
 */
public record FilterChain(MeshService owner, int port, List<String> sniHosts, List<String> destinationCidrs,
        boolean sniffedHttp, boolean http) {

    /** {@code isMatchAll}: Envoy's default filter chain. */
    public boolean isMatchAll() {
        return (sniHosts.isEmpty() || sniHosts.contains("*")) && !sniffedHttp && destinationCidrs.isEmpty();
    }
}
