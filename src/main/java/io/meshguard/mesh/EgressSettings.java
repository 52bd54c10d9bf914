package io.meshguard.mesh;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster-wide facts about egress gateways that meshguard generates for and checks against.
 *
 * @param defaultGateway used when {@code meshguard.io/egress-gateway} is empty
 * @param httpPort the gateway port that carries HTTP (the seed's 80)
 * @param tlsPort the gateway port that carries TLS, routed by SNI (443)
 * @param servicePorts the ports the egress gateway Service exposes; Istio's default Service exposes 80 and 443
 * @param subset when set, sidecars reach the gateway through this DestinationRule subset (Istio's egress task)
 * @param clusterDomain the suffix of a Service host named by the annotation as {@code <namespace>/<service>}
 */
public record EgressSettings(EgressGateway defaultGateway, int httpPort, int tlsPort, Set<Integer> servicePorts,
        Optional<String> subset, String clusterDomain) {

    public static final EgressSettings DEFAULT = new EgressSettings(EgressGateway.ISTIO_DEFAULT, 80, 443,
            Set.of(80, 443), Optional.empty(), "cluster.local");

    public EgressSettings {
        servicePorts = java.util.Collections.unmodifiableSet(new TreeSet<>(servicePorts));
    }
}
