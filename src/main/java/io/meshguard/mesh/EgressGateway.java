package io.meshguard.mesh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An egress gateway as meshguard routes to it: the namespace its pods run in (which must see the entry and
 * the VirtualService), the host of its Service (where sidecars send the traffic) and the labels of its pods
 * (the Gateway's selector).
 */
public record EgressGateway(String namespace, String serviceHost, Map<String, String> selector) {

    public static final EgressGateway ISTIO_DEFAULT = new EgressGateway("istio-system",
            "istio-egressgateway.istio-system.svc.cluster.local", Map.of("istio", "egressgateway"));

    private static final Pattern LABEL_KEY =
            Pattern.compile("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    public EgressGateway {
        selector = java.util.Collections.unmodifiableMap(new TreeMap<>(selector));
    }

    /** Reads {@code key=value[,key=value]}; empty when a key or value is not a Kubernetes label's. */
    public static Optional<Map<String, String>> parseSelector(String text) {
        Map<String, String> selector = new LinkedHashMap<>();
        for (String pair : text.split(",", -1)) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? "" : pair.substring(0, equals).trim();
            String value = equals < 0 ? "" : pair.substring(equals + 1).trim();
            if (!LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
                return Optional.empty();
            }
            selector.put(key, value);
        }
        return Optional.of(selector);
    }
}
