package io.meshguard.rules.gateway;

import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.ServerProtocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * istiod's merge of the servers of every Gateway that applies to one gateway workload, for one port:
 * {@code mergeGateways} in {@code pilot/pkg/model/gateway.go}. Gateways are taken in {@link GatewayOrder}, servers
 * in the order written; a server istiod skips ("skipping server on gateway ...", counted in
 * {@code pilot_total_rejected_configs}) is a {@link Drop}, with the server that made it lose.
 *
 * <p>The merge of one port does not depend on another's, so a review merges only the ports it names. Ports are
 * compared as written: istiod's translation of a Service port to its {@code targetPort} ({@code resolvePorts})
 * needs the gateway's Service, which meshguard does not read.
 */
public final class GatewayServerMerge {

    /** Why istiod skips a server. */
    public enum Reason {
        /**
         * A server with a {@code tls} block names a host that an earlier server with a {@code tls} block already
         * named on this port and bind ({@code CheckDuplicates}): Envoy would reject two filter chains with the
         * same SNI match.
         */
        DUPLICATE_TLS_HOST,
        /**
         * The port already carries a plain-text server on this bind, and the two protocols cannot share it:
         * only HTTP joins HTTP ({@code canMergeProtocols}).
         */
        PROTOCOL_CONFLICT,
        /** An HTTPS server that terminates TLS repeats another's route name (port, port name, Gateway, bind). */
        DUPLICATE_HTTPS_ROUTE
    }

    /** A server of a Gateway. */
    public record Placed(GatewayView gateway, GatewayServer server) {
    }

    /**
     * A server istiod skips.
     *
     * @param hosts for {@link Reason#DUPLICATE_TLS_HOST}, the hosts both name; otherwise empty
     */
    public record Drop(Placed dropped, Reason reason, Placed blocker, List<String> hosts) {
    }

    private record PlainText(ServerProtocol protocol, String bind, Placed owner) {
    }

    private record TlsHost(String bind, Placed owner) {
    }

    private GatewayServerMerge() {
    }

    /** The servers istiod skips on {@code port}, merging {@code gateways} (already in {@link GatewayOrder}). */
    public static List<Drop> drops(List<GatewayView> gateways, int port) {
        List<Drop> drops = new ArrayList<>();
        boolean portSeen = false;
        PlainText plainText = null;
        Map<String, TlsHost> tlsHosts = new HashMap<>();
        Map<String, Placed> routeNames = new HashMap<>();
        for (GatewayView gateway : gateways) {
            for (GatewayServer server : gateway.servers()) {
                if (server.port() != port) {
                    continue;
                }
                Placed placed = new Placed(gateway, server);
                if (server.tls() != null) {
                    Set<String> duplicates = new LinkedHashSet<>();
                    Placed blocker = null;
                    List<String> keys = server.mergeKeys(gateway.namespace());
                    for (String host : keys) {
                        TlsHost known = tlsHosts.get(host);
                        if (known != null && known.bind().equals(server.bind())) {
                            duplicates.add(host);
                            blocker = blocker == null ? known.owner() : blocker;
                        }
                    }
                    if (!duplicates.isEmpty()) {
                        drops.add(new Drop(placed, Reason.DUPLICATE_TLS_HOST, blocker, List.copyOf(duplicates)));
                        continue;
                    }
                    for (String host : keys) {
                        tlsHosts.put(host, new TlsHost(server.bind(), placed));
                    }
                }
                String routeName = routeName(gateway, server);
                ServerProtocol protocol = server.serverProtocol();
                if (!portSeen) {
                    portSeen = true;
                    plainText = addPlainText(placed, routeName, plainText, routeNames);
                    continue;
                }
                if (plainText != null) {
                    boolean sameBind = plainText.bind().equals(server.bind());
                    if (!canMergeProtocols(protocol, plainText.protocol()) && sameBind) {
                        drops.add(new Drop(placed, Reason.PROTOCOL_CONFLICT, plainText.owner(), List.of()));
                        continue;
                    }
                    if (routeName.isEmpty() && sameBind) {
                        // canMergeProtocols only lets HTTP in, and HTTP always has a route name; kept for fidelity
                        drops.add(new Drop(placed, Reason.PROTOCOL_CONFLICT, plainText.owner(), List.of()));
                        continue;
                    }
                    if (!sameBind) {
                        plainText = addPlainText(placed, routeName, plainText, routeNames);
                    }
                    continue;
                }
                if (!server.tlsServer()) {
                    plainText = new PlainText(protocol, server.bind(), placed);
                    continue;
                }
                if (server.httpServer()) {
                    Placed earlier = routeNames.get(routeName);
                    if (earlier != null) {
                        drops.add(new Drop(placed, Reason.DUPLICATE_HTTPS_ROUTE, earlier, List.of()));
                        continue;
                    }
                    routeNames.put(routeName, placed);
                }
            }
        }
        return drops;
    }

    /** {@code addPlainTextServer}: a plain-text server becomes the port's plain-text server. */
    private static PlainText addPlainText(Placed placed, String routeName, PlainText current,
            Map<String, Placed> routeNames) {
        GatewayServer server = placed.server();
        if (server.httpServer() && !routeName.isEmpty()) {
            routeNames.putIfAbsent(routeName, placed);
        }
        return server.tlsServer() ? current : new PlainText(server.serverProtocol(), server.bind(), placed);
    }

    /**
     * {@code canMergeProtocols(current, p)}, called with the new server's protocol first: the port's plain-text
     * protocol must be HTTP, and the new one HTTP too (or the same).
     */
    static boolean canMergeProtocols(ServerProtocol incoming, ServerProtocol existing) {
        return (incoming.isHttp() || incoming == existing) && existing.isHttp();
    }

    /** {@code gatewayRDSRouteName}: "http.port[.bind]", "https.port.portName.gateway.namespace[.bind]", or "". */
    static String routeName(GatewayView gateway, GatewayServer server) {
        String bind = server.bind().isEmpty() ? "" : "." + server.bind();
        ServerProtocol protocol = server.serverProtocol();
        if (protocol.isHttp()) {
            return "http." + server.port() + bind;
        }
        if (protocol == ServerProtocol.HTTPS && (server.tls() == null || !server.tls().passthrough())) {
            return "https." + server.port() + "." + server.portName() + "." + gateway.name() + "."
                    + gateway.namespace() + bind;
        }
        return "";
    }
}
