package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServicePort;

/**
 * What is known of one service port on its listener without building the listener: the key, the listener
 * protocol, the match of its network chain, and whether it takes part in a mechanism that looks past equal matches
 * ({@code HTTP_PROXY} replacing the listener, {@link WellKnownPortConflict}, a {@link PrefixShadow} {@code /0}).
 *
 * @param tcpMatch the match of the chain {@code buildSidecarOutboundTCPListenerOpts} builds; null for HTTP ports
 */
public record ListenerFootprint(ListenerKey key, IstioProtocol portProtocol, ListenerProtocol protocol,
        ChainConflict.Match tcpMatch, boolean beyondMatch) {

    /** Null when the port binds no listener (UDP). */
    public static ListenerFootprint of(MeshService service, ServicePort port, ProxyView proxy) {
        ListenerBinding binding = ListenerBinding.of(service, port, proxy);
        if (binding == null) {
            return null;
        }
        IstioProtocol protocol = port.istioProtocol();
        ListenerProtocol listenerProtocol = protocol.listenerProtocol();
        boolean beyondMatch = protocol == IstioProtocol.HTTP_PROXY || protocol == IstioProtocol.MONGO
                || protocol == IstioProtocol.MYSQL;
        ChainConflict.Match match = null;
        if (listenerProtocol != ListenerProtocol.HTTP) {
            FilterChain chain = FilterChainOpts.tcpListenerOpts(service, port, binding, proxy);
            match = ChainConflict.match(chain);
            beyondMatch |= PrefixShadow.matchesEveryIpv4(chain);
        }
        return new ListenerFootprint(binding.key(), protocol, listenerProtocol, match, beyondMatch);
    }
}
