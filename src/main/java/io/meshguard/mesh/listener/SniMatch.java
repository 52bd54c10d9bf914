package io.meshguard.mesh.listener;

import io.meshguard.mesh.Resolution;

/**
 * When {@code buildSidecarOutboundTLSFilterChainOpts} (tls.go) matches a TLS or HTTPS service by SNI: when the
 * destination is a CIDR, when the service has no address, when the service address and the listener are both
 * the wildcard, or for a wildcard host with DYNAMIC_DNS. On a listener of its own plain IP (written or
 * auto-allocated) a TLS service gets no SNI match: two of them on one IP conflict whatever their hosts.
 */
public final class SniMatch {

    private SniMatch() {
    }

    public static boolean built(MeshService service, ListenerBinding binding, ProxyView proxy) {
        String listenAddress = service.addressForProxy(proxy);
        if (listenAddress.indexOf('/') >= 0) {
            listenAddress = "";
        }
        return binding.cidr() != null
                || listenAddress.isEmpty()
                || (ProxyView.WILDCARD.equals(listenAddress) && binding.key().isWildcard())
                || (service.hostname().startsWith("*") && service.entry().resolution() == Resolution.DYNAMIC_DNS);
    }
}
