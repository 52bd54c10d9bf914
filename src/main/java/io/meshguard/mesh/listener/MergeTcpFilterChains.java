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
            FilterChain conflicting = current.firstConflicting(chain);
            if (conflicting == null) {
                current.add(chain);
            } else {
                events.dropped(chain.owner(), chain.port(), key, conflicting.owner(), Mechanism.CHAIN_CONFLICT,
                        autoDetect && !chain.http());
            }
        }
    }
}
