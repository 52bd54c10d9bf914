package io.meshguard.mesh.listener;

import java.util.List;

/**
 * {@code mergeTCPFilterChains}: each incoming chain joins the listener unless it {@link ChainConflict conflicts
 * with} a chain already there (or one added just before it); a conflicting chain is dropped, and the first chain it
 * conflicts with keeps the traffic.
 */
public final class MergeTcpFilterChains {

    private MergeTcpFilterChains() {
    }

    static void merge(OutboundListenerEntry current, List<FilterChain> incoming, ListenerKey key,
            ListenerEvents events, boolean autoDetect) {
        for (FilterChain chain : incoming) {
            FilterChain conflicting = null;
            for (FilterChain existing : current.chains) {
                if (ChainConflict.conflictsWith(existing, chain)) {
                    conflicting = existing;
                    break;
                }
            }
            if (conflicting == null) {
                current.chains.add(chain);
            } else {
                events.dropped(chain.owner(), chain.port(), key, conflicting.owner(), Mechanism.CHAIN_CONFLICT,
                        autoDetect && !chain.http());
            }
        }
    }
}
