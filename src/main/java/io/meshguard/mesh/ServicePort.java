package io.meshguard.mesh;

import io.meshguard.mesh.listener.IstioProtocol;

/**
 * One entry of {@code spec.ports}: the number and the protocol exactly as written (unset reads as the empty
 * string), and how istiod reads the protocol: {@code protocol.Parse}, nothing looser. The reading is made once, here:
 * a review asks a port for it at every step of the listener build.
 */
public record ServicePort(int number, String protocol, IstioProtocol istioProtocol) {

    /** {@code istioProtocol} is always read from {@code protocol}, whatever is passed. */
    public ServicePort {
        protocol = protocol == null ? "" : protocol;
        istioProtocol = IstioProtocol.parse(protocol);
    }

    public ServicePort(int number, String protocol) {
        this(number, protocol, null);
    }

    public ProtocolClass protocolClass() {
        return ProtocolClass.of(istioProtocol());
    }

    /** The protocol as a user reads it: istiod's name for it, or what it becomes when istiod does not know it. */
    public String displayProtocol() {
        IstioProtocol parsed = istioProtocol();
        if (parsed != IstioProtocol.UNSUPPORTED) {
            return parsed.istioName();
        }
        return protocol.isEmpty() ? "unset(auto-detect)" : "unknown(auto-detect)";
    }

    public String display() {
        return number + "/" + displayProtocol();
    }
}
