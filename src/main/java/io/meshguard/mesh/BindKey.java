package io.meshguard.mesh;

import java.util.List;

/**
 * The address an outbound listener binds for a port, for a proxy that does not capture DNS:
 * an IP, or {@code 0.0.0.0} qualified by the masked CIDRs of a wide-CIDR entry (empty when the entry
 * has no addresses). Two OPAQUE services share a filter chain only when their bind keys are equal.
 */
public record BindKey(String ip, List<String> cidrs) {

    public static final String WILDCARD_IP = "0.0.0.0";
    public static final BindKey WILDCARD = new BindKey(WILDCARD_IP, List.of());

    public BindKey {
        cidrs = List.copyOf(cidrs);
    }

    public static BindKey ip(String ip) {
        return new BindKey(ip, List.of());
    }

    public boolean isWildcard() {
        return equals(WILDCARD);
    }

    /** Envoy's listener name for this key on a port, as {@code istioctl proxy-config listeners} shows it. */
    public String listenerName(int port) {
        return ip + "_" + port;
    }

    @Override
    public String toString() {
        return cidrs.isEmpty() ? ip : ip + "[" + String.join(",", cidrs) + "]";
    }
}
