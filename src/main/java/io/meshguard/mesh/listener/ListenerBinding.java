package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServicePort;

/**
 * Where {@code buildSidecarOutboundListener} puts one service port: the listener key, and the destination CIDR
 * its chain matches. For TCP and auto-detect ports a plain service address binds its own listener and a CIDR
 * falls back to {@code 0.0.0.0} with a CIDR match; HTTP ports always bind {@code 0.0.0.0}; UDP binds nothing.
 *
 * @param cidr the service's CIDR as written (istiod's {@code opts.cidr}), or null
 */
public record ListenerBinding(ListenerKey key, String cidr) {

    /** Written out: a record's generated equality runs through method handles that C1 does not inline. */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ListenerBinding binding && key.equals(binding.key)
                && java.util.Objects.equals(cidr, binding.cidr);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + (cidr == null ? 0 : cidr.hashCode());
    }

    /** Null when istiod builds no listener for the port (UDP). */
    public static ListenerBinding of(MeshService service, ServicePort port, ProxyView proxy) {
        ListenerProtocol protocol = port.istioProtocol().listenerProtocol();
        return switch (protocol) {
            case UNKNOWN -> null;
            case HTTP -> new ListenerBinding(ListenerKey.wildcard(port.number()), null);
            case TCP, AUTO -> {
                String address = service.addressForProxy(proxy);
                yield address.indexOf('/') < 0
                        ? new ListenerBinding(new ListenerKey(address, port.number()), null)
                        : new ListenerBinding(ListenerKey.wildcard(port.number()), address);
            }
        };
    }
}
