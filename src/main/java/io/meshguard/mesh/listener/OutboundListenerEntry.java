package io.meshguard.mesh.listener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** istiod's {@code outboundListenerEntry}: the listener protocol so far and its filter chains, in order. */
public final class OutboundListenerEntry {

    IstioProtocol protocol;
    final List<FilterChain> chains = new ArrayList<>(2);
    /** The first chain of each match, so that a merge looks a conflict up rather than scanning every chain. */
    private final Map<ChainConflict.Match, FilterChain> firstByMatch = new HashMap<>();

    OutboundListenerEntry(IstioProtocol protocol, List<FilterChain> chains) {
        this.protocol = protocol;
        chains.forEach(this::add);
    }

    void add(FilterChain chain) {
        chains.add(chain);
        firstByMatch.putIfAbsent(ChainConflict.match(chain), chain);
    }

    /** The first chain already on this listener that {@code chain} conflicts with, or null. */
    FilterChain firstConflicting(FilterChain chain) {
        return firstByMatch.get(ChainConflict.match(chain));
    }

    public IstioProtocol protocol() {
        return protocol;
    }

    public List<FilterChain> chains() {
        return chains;
    }
}
