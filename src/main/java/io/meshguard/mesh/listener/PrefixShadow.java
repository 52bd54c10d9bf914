package io.meshguard.mesh.listener;

/**
 * What Envoy does with a finished listener that istiod did not see as a conflict: Envoy masks a destination CIDR
 * (so {@code 0.1.2.3/0} is {@code 0.0.0.0/0}) and prefers any chain whose destination prefix matches over the
 * default chain. istiod's {@code conflictsWith} compares {@code 0.0.0.0/0} (masked) with "no CIDR" and finds them
 * different, so both chains stay, and the catch-all chain of an address-less service gets no IPv4 traffic.
 */
public final class PrefixShadow {

    private PrefixShadow() {
    }

    static void check(ListenerKey key, OutboundListenerEntry listener, ListenerEvents events) {
        if (!key.isWildcard()) {
            return;
        }
        FilterChain fallback = null;
        FilterChain everything = null;
        for (FilterChain chain : listener.chains) {
            if (!chain.http() && chain.isMatchAll() && fallback == null) {
                fallback = chain;
            }
            if (everything == null && matchesEveryIpv4(chain)) {
                everything = chain;
            }
        }
        if (fallback != null && everything != null) {
            events.dropped(fallback.owner(), fallback.port(), key, everything.owner(), Mechanism.PREFIX_SHADOW,
                    false);
        }
    }

    static boolean matchesEveryIpv4(FilterChain chain) {
        for (String cidr : chain.destinationCidrs()) {
            NetIp.Prefix prefix = NetIp.parsePrefix(cidr);
            if (prefix != null && prefix.isIpv4() && prefix.bits() == 0 && !prefix.isUnspecifiedIpv4()) {
                return true;
            }
        }
        return false;
    }
}
