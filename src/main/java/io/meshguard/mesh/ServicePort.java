package io.meshguard.mesh;

import io.meshguard.mesh.listener.IstioProtocol;

/**
 * One entry of {@code spec.ports}: the number and the protocol exactly as written (unset reads as the empty
 * string). How istiod reads the protocol is {@link #istioProtocol()}: {@code protocol.Parse}, nothing looser.
 */
public record ServicePort(int number, String protocol) {

    public ServicePort {
        protocol = protocol == null ? "" : protocol;
    }

    public IstioProtocol istioProtocol() {
        return IstioProtocol.parse(protocol);
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
