package io.meshguard.mesh.gateway;

import io.meshguard.mesh.EntryKey;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An Istio Gateway ({@code networking.istio.io}), as far as istiod's merging of gateway servers looks at it.
 *
 * @param key namespace/name
 * @param createdMillis {@code metadata.creationTimestamp}; for an object not persisted yet, the review time
 * @param selector {@code spec.selector}; empty selects every gateway workload, as in istiod
 * @param servers {@code spec.servers} in order
 * @param uid {@code metadata.uid}, for a report's or an Event's reference to it; empty when not persisted
 */
public record GatewayView(EntryKey key, long createdMillis, Map<String, String> selector,
        List<GatewayServer> servers, String uid) {

    public GatewayView {
        selector = Map.copyOf(selector);
        servers = List.copyOf(servers);
        uid = uid == null ? "" : uid;
    }

    /** A Gateway whose uid is not known. */
    public GatewayView(EntryKey key, long createdMillis, Map<String, String> selector, List<GatewayServer> servers) {
        this(key, createdMillis, selector, servers, "");
    }

    public String namespace() {
        return key.namespace();
    }

    public String name() {
        return key.name();
    }

    /** The ports its servers name, each once. */
    public List<Integer> ports() {
        return servers.stream().filter(GatewayServer::hasPort).map(GatewayServer::port).distinct().toList();
    }

    /** {@code istio=ingressgateway,app=x} in key order, or "every gateway workload" for an empty selector. */
    public static String describeSelector(Map<String, String> selector) {
        if (selector.isEmpty()) {
            return "every gateway workload (no selector)";
        }
        StringBuilder out = new StringBuilder();
        new TreeMap<>(selector).forEach((k, v) -> out.append(out.length() == 0 ? "" : ",").append(k).append('=')
                .append(v));
        return out.toString();
    }

    /** Same spec: what istiod merges is unchanged. */
    public boolean sameSpec(GatewayView other) {
        return other != null && selector.equals(other.selector) && servers.equals(other.servers);
    }
}
