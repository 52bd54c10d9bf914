package io.meshguard.mesh.listener;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code filterChainOpts.conflictsWith}: two chains conflict when they match the same traffic as istiod compares
 * it: same transport and application protocols, same SNI names ({@code *} ignored), and the same destination
 * CIDRs after masking, where a CIDR whose address is {@code 0.0.0.0} counts as no CIDR at all (so
 * {@code 0.0.0.0/0} and {@code 0.0.0.0/8} match what an address-less service matches).
 */
public final class ChainConflict {

    private ChainConflict() {
    }

    /**
     * What {@code conflictsWith} compares, in one value: two chains conflict exactly when their matches are equal,
     * so a listener can find the chain a new one conflicts with by lookup instead of by comparing it with each.
     */
    public record Match(boolean sniffedHttp, Set<String> sniHosts, Set<String> destinationCidrs) {
    }

    /** What a network chain with neither SNI nor destination matches: the catch-all. */
    public static final Match MATCH_ALL = new Match(false, Set.of(), Set.of());

    public static Match match(FilterChain chain) {
        Set<String> sni = sniSet(chain.sniHosts());
        Set<String> cidrs = cidrSet(chain.destinationCidrs());
        if (!chain.sniffedHttp() && sni.isEmpty() && cidrs.isEmpty()) {
            return MATCH_ALL;
        }
        return new Match(chain.sniffedHttp(), sni, cidrs);
    }

    private static Set<String> sniSet(List<String> sni) {
        if (sni.isEmpty()) {
            return Set.of();
        }
        Set<String> set = new HashSet<>(sni);
        set.remove("*");
        return Set.copyOf(set);
    }

    /** The {@code cidrSet} closure: {@code AddrStrToPrefix}, skip unparsable and {@code 0.0.0.0}, keep masked. */
    static Set<String> cidrSet(List<String> cidrs) {
        if (cidrs.isEmpty()) {
            return Set.of();
        }
        Set<String> set = new HashSet<>();
        for (String cidr : cidrs) {
            NetIp.Prefix prefix = cidr.indexOf('/') >= 0 ? NetIp.parsePrefix(cidr) : NetIp.parseAddr(cidr);
            if (prefix == null || prefix.isUnspecifiedIpv4()) {
                continue;
            }
            set.add(prefix.masked());
        }
        return Set.copyOf(set);
    }
}
