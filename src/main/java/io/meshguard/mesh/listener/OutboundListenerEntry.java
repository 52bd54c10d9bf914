package io.meshguard.mesh.listener;

import java.util.ArrayList;
import java.util.List;

/** istiod's {@code outboundListenerEntry}: the listener protocol so far and its filter chains, in order. */
public final class OutboundListenerEntry {

    IstioProtocol protocol;
    final List<FilterChain> chains = new ArrayList<>(2);

    OutboundListenerEntry(IstioProtocol protocol, List<FilterChain> chains) {
        this.protocol = protocol;
        this.chains.addAll(chains);
    }

    public IstioProtocol protocol() {
        return protocol;
    }

    public List<FilterChain> chains() {
        return chains;
    }
}
