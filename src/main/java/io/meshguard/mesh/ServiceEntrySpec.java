package io.meshguard.mesh;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A ServiceEntry as the API server stores it, every field istiod's per-object validation reads, kept as written
 * (no defaults filled in, no case folded). The index keeps the compact {@link ServiceEntryFacts} instead; this view
 * lives only for the review of one object.
 *
 * <p>Lists keep their order, maps their written order. A list item that is {@code null} in the object (istiod calls
 * it a nil port or a nil endpoint) is kept, as a {@link Port#absent()} or {@link Endpoint#absent()} item, so that the
 * validation can say so and the indexes of the items after it stay right.
 *
 * @param resolution {@code spec.resolution} as written; empty when unset (istiod's default, NONE)
 * @param location {@code spec.location} as written; empty when unset (istiod's default, MESH_EXTERNAL)
 * @param endpoints empty when unset or empty: istiod reads an empty list as no list
 * @param workloadSelector null when unset; a selector with no labels when written as {@code {}}
 * @param statusAddresses the values of {@code status.addresses}, the addresses istiod allocated
 */
public record ServiceEntrySpec(
        EntryKey key,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<String> hosts,
        List<String> addresses,
        List<Port> ports,
        String location,
        String resolution,
        List<Endpoint> endpoints,
        WorkloadSelector workloadSelector,
        List<String> exportTo,
        List<String> subjectAltNames,
        List<String> statusAddresses) {

    public ServiceEntrySpec {
        labels = ordered(labels);
        annotations = ordered(annotations);
        hosts = List.copyOf(hosts);
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        location = location == null ? "" : location;
        resolution = resolution == null ? "" : resolution;
        endpoints = List.copyOf(endpoints);
        exportTo = List.copyOf(exportTo);
        subjectAltNames = List.copyOf(subjectAltNames);
        statusAddresses = List.copyOf(statusAddresses);
    }

    /**
     * One item of {@code spec.ports}.
     *
     * @param absent the item is {@code null} in the object
     * @param number as written; out-of-range values are kept for the validation to name
     * @param protocol as written, or empty
     * @param name as written, or empty
     * @param targetPort as written, or 0 when unset
     */
    public record Port(boolean absent, long number, String protocol, String name, long targetPort) {

        public Port {
            protocol = protocol == null ? "" : protocol;
            name = name == null ? "" : name;
        }

        public Port(long number, String protocol, String name, long targetPort) {
            this(false, number, protocol, name, targetPort);
        }

        public static Port absentItem() {
            return new Port(true, 0, "", "", 0);
        }
    }

    /**
     * One item of {@code spec.endpoints} (a WorkloadEntry).
     *
     * @param absent the item is {@code null} in the object
     * @param ports port name to number, in written order
     * @param weight 0 when unset
     */
    public record Endpoint(boolean absent, String address, Map<String, Long> ports, Map<String, String> labels,
            String network, String locality, long weight, String serviceAccount) {

        public Endpoint {
            address = address == null ? "" : address;
            ports = ordered(ports);
            labels = ordered(labels);
            network = network == null ? "" : network;
            locality = locality == null ? "" : locality;
            serviceAccount = serviceAccount == null ? "" : serviceAccount;
        }

        public Endpoint(String address, Map<String, Long> ports, Map<String, String> labels, String network) {
            this(false, address, ports, labels, network, "", 0, "");
        }

        public static Endpoint absentItem() {
            return new Endpoint(true, "", Map.of(), Map.of(), "", "", 0, "");
        }
    }

    /** {@code spec.workloadSelector}; its labels in written order, possibly none. */
    public record WorkloadSelector(Map<String, String> labels) {

        public WorkloadSelector {
            labels = ordered(labels);
        }
    }

    public String namespace() {
        return key.namespace();
    }

    public String name() {
        return key.name();
    }

    /**
     * {@link #resolution} as istiod reads it: unset is NONE; any spelling other than the enum's own name (the API
     * server's schema and istiod's decoder both match it exactly) is UNKNOWN.
     */
    public Resolution resolutionValue() {
        if (resolution.isEmpty()) {
            return Resolution.NONE;
        }
        for (Resolution value : Resolution.values()) {
            if (value != Resolution.UNKNOWN && value.name().equals(resolution)) {
                return value;
            }
        }
        return Resolution.UNKNOWN;
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        if (map == null || map.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
