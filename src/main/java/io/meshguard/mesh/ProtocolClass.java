package io.meshguard.mesh;

import io.meshguard.mesh.listener.IstioProtocol;

/**
 * A coarse view of a port's protocol, for the rules that only need to know whether a port is routed by SNI,
 * by HTTP host, or not at all. Derived from {@link IstioProtocol} (istiod's {@code protocol.Parse}), never from
 * a looser reading of the text.
 */
public enum ProtocolClass {
    /** Raw TCP proxying, and istiod's auto-detect (unset and unknown protocols). */
    OPAQUE,
    /** TLS and HTTPS. */
    TLS,
    /** HTTP, HTTP2, GRPC, GRPC-Web and HTTP_PROXY. */
    HTTP,
    /** Istio builds no listener for UDP. */
    UDP;

    public static ProtocolClass of(IstioProtocol protocol) {
        if (protocol.isTls()) {
            return TLS;
        }
        if (protocol.isHttp()) {
            return HTTP;
        }
        return protocol == IstioProtocol.UDP ? UDP : OPAQUE;
    }

    /** As istiod parses the written protocol. */
    public static ProtocolClass of(String protocol) {
        return of(IstioProtocol.parse(protocol));
    }
}
