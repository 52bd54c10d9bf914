package io.meshguard.rules.gateway;

import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * istioctl's IST0145 ConflictingGateways ({@code ConflictingGatewayAnalyzer} in
 * {@code pkg/config/analysis/analyzers/gateway/conflictinggateway.go}): two different Gateways reaching one
 * gateway workload declare a server on the same port and bind with a host in common, whatever the protocols.
 *
 * <p>When both are plain-text HTTP, istiod keeps both servers but builds one virtual host for the shared host on
 * the port's one route table ({@code buildGatewayHTTPRouteConfig} in {@code pilot/pkg/networking/core/gateway.go}):
 * the routes of the older Gateway's VirtualServices are appended first, so a request the older ones match never
 * reaches the newer ones. Hosts are compared by DNS name, without their namespace part: the virtual host (and,
 * with TLS, the SNI match) is built from the name alone, so {@code ns1/a.com} and {@code ns2/a.com} still meet.
 * A wildcard that merely covers another host is not a conflict, since Envoy picks the most specific virtual host.
 */
public final class ConflictingGateway {

    private ConflictingGateway() {
    }

    /** The hosts two servers of different Gateways both declare on one port and bind; empty when none. */
    public static List<String> sharedHosts(GatewayView gateway, GatewayServer server, GatewayView other,
            GatewayServer otherServer) {
        if (gateway.key().equals(other.key()) || server.port() != otherServer.port()
                || !server.bind().equals(otherServer.bind())) {
            return List.of();
        }
        Set<String> theirs = new LinkedHashSet<>(otherServer.dnsNames());
        List<String> shared = new ArrayList<>();
        for (String host : new LinkedHashSet<>(server.dnsNames())) {
            if (theirs.contains(host)) {
                shared.add(host);
            }
        }
        return shared;
    }
}
