package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * {@code buildSidecarOutboundListeners} for the default sidecar scope of one namespace, restricted to the
 * listeners a review needs: each service the proxy keeps, in order, each of its ports, through
 * {@link SidecarOutboundListener}; then the finished listeners are read as Envoy reads them ({@link PrefixShadow},
 * sniffing).
 */
public final class OutboundListeners {

    private OutboundListeners() {
    }

    /** @param kept the services after {@link HostSelection}, in {@link ServiceOrder} */
    public static Map<ListenerKey, OutboundListenerEntry> build(List<ServiceOrder.Ranked> kept, ProxyView proxy,
            IntPredicate ports, Predicate<ListenerKey> wanted, ListenerEvents events) {
        Map<ListenerKey, OutboundListenerEntry> listeners = new LinkedHashMap<>();
        for (ServiceOrder.Ranked ranked : kept) {
            MeshService service = ranked.service();
            for (ServicePort port : service.ports()) {
                if (ports.test(port.number())) {
                    SidecarOutboundListener.build(service, port, proxy, listeners, wanted, events);
                }
            }
        }
        listeners.forEach((key, listener) -> {
            PrefixShadow.check(key, listener, events);
            sniffing(key, listener, events);
        });
        return listeners;
    }

    /** An HTTP chain picked by the HTTP inspector next to a catch-all TCP chain of another entry. */
    private static void sniffing(ListenerKey key, OutboundListenerEntry listener, ListenerEvents events) {
        if (!key.isWildcard()) {
            return;
        }
        for (FilterChain http : listener.chains) {
            if (!http.sniffedHttp()) {
                continue;
            }
            for (FilterChain tcp : listener.chains) {
                if (!tcp.http() && tcp.isMatchAll() && !tcp.owner().entry().key().equals(http.owner().entry().key())) {
                    events.sniffing(key, http.owner(), tcp.owner());
                }
            }
        }
    }
}
