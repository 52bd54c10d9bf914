package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServicePort;
import java.util.List;
import java.util.Map;

/**
 * {@code buildSidecarOutboundListener} (listener.go) for one service port of the default sidecar scope: find the
 * listener key, build the chains, and on a key already taken, decide the conflict type, apply
 * {@link WellKnownPortConflict} and merge ({@link MergeTcpFilterChains}) or upgrade to sniffing. An
 * {@code HTTP_PROXY} port skips all of that and replaces whatever the key held.
 */
public final class SidecarOutboundListener {

    private SidecarOutboundListener() {
    }

    /**
     * @param listeners the listener map so far ({@code listenerMap}); only keys in it or accepted by
     *     {@code wanted} are built
     */
    public static void build(MeshService service, ServicePort port, ProxyView proxy,
            Map<ListenerKey, OutboundListenerEntry> listeners, java.util.function.Predicate<ListenerKey> wanted,
            ListenerEvents events) {
        IstioProtocol portProtocol = port.istioProtocol();
        ListenerBinding binding = ListenerBinding.of(service, port, proxy);
        if (binding == null || !wanted.test(binding.key())) {
            return;
        }
        ListenerKey key = binding.key();
        OutboundListenerEntry current = listeners.get(key);
        ListenerProtocol listenerProtocol = portProtocol.listenerProtocol();
        IstioProtocol entryProtocol = portProtocol;
        ConflictType conflict = ConflictType.NO_CONFLICT;
        List<FilterChain> opts;

        if (portProtocol == IstioProtocol.HTTP_PROXY) {
            opts = List.of(FilterChainOpts.httpListenerOpts(service, port, false));
            if (current != null) {
                for (FilterChain lost : current.chains) {
                    if (!lost.http()) {
                        events.dropped(lost.owner(), lost.port(), key, service, Mechanism.HTTP_PROXY, false);
                    }
                }
            }
        } else {
            switch (listenerProtocol) {
                case HTTP -> {
                    if (current != null) {
                        if (current.protocol.isTcp()) {
                            conflict = ConflictType.HTTP_OVER_TCP;
                        } else {
                            return; // the listener exists: the service is one more virtual host of its routes
                        }
                    }
                    // On the wildcard listener the HTTP chain is selected by the HTTP inspector, and the listener
                    // protocol becomes auto-detect.
                    opts = List.of(FilterChainOpts.httpListenerOpts(service, port, key.isWildcard()));
                    if (key.isWildcard()) {
                        entryProtocol = IstioProtocol.UNSUPPORTED;
                    }
                }
                case TCP -> {
                    opts = List.of(FilterChainOpts.tcpListenerOpts(service, port, binding, proxy));
                    if (current != null) {
                        conflict = current.protocol.isHttp() ? ConflictType.TCP_OVER_HTTP
                                : current.protocol.isTcp() ? ConflictType.TCP_OVER_TCP : ConflictType.TCP_OVER_AUTO;
                    }
                }
                case AUTO -> {
                    FilterChain tcp = FilterChainOpts.tcpListenerOpts(service, port, binding, proxy);
                    if (current != null && !current.protocol.isHttp() && !current.protocol.isTcp()) {
                        conflict = ConflictType.TCP_OVER_AUTO;
                        opts = List.of(tcp);
                    } else {
                        if (current != null) {
                            conflict = current.protocol.isHttp() ? ConflictType.AUTO_OVER_HTTP
                                    : ConflictType.AUTO_OVER_TCP;
                        }
                        opts = List.of(tcp, FilterChainOpts.httpListenerOpts(service, port, true));
                    }
                }
                default -> {
                    return;
                }
            }
        }

        if (current != null && !WellKnownPortConflict.allowed(portProtocol, current.protocol, conflict)) {
            MeshService keeper = current.chains.isEmpty() ? null : current.chains.get(0).owner();
            events.dropped(service, port.number(), key, keeper, Mechanism.WELL_KNOWN_PORT, false);
            return;
        }
        switch (conflict) {
            case NO_CONFLICT, AUTO_OVER_HTTP -> listeners.put(key, new OutboundListenerEntry(entryProtocol, opts));
            case HTTP_OVER_TCP, TCP_OVER_HTTP, AUTO_OVER_TCP -> {
                MergeTcpFilterChains.merge(current, opts, key, events, listenerProtocol == ListenerProtocol.AUTO);
                current.protocol = IstioProtocol.UNSUPPORTED;
            }
            case TCP_OVER_TCP, TCP_OVER_AUTO ->
                    MergeTcpFilterChains.merge(current, opts, key, events, listenerProtocol == ListenerProtocol.AUTO);
            default -> throw new IllegalStateException(conflict.name());
        }
    }
}
