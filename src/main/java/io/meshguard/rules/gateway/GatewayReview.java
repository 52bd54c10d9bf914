package io.meshguard.rules.gateway;

import io.meshguard.index.GatewaySnapshot;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Decision;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reviews a Gateway (CREATE or UPDATE) against the Gateways already known: for every gateway workload its
 * selector reaches ({@link GatewaySelection}) and every port it names, merges the servers as istiod does
 * ({@link GatewayServerMerge}) and denies a server istiod would skip, or one that shares a host with another
 * Gateway's server on that port ({@link ConflictingGateway}, IST0145). The denial names the Gateway that keeps the
 * port or host in istiod's order ({@link GatewayOrder}) and the fix.
 *
 * <p>On UPDATE, a conflict the stored version already had is reported as a warning: a Gateway that conflicted
 * before meshguard was installed can still be edited, as long as the edit adds no new conflict.
 */
public final class GatewayReview {

    public static final String SERVER_DROPPED = "GatewayServerDropped";
    public static final String CONFLICTING = "ConflictingGateways";
    public static final String BOUND_VIRTUAL_SERVICES = "GatewayStillReferenced";
    static final String PRE_EXISTING = "Pre-existing conflict, not introduced by this edit: ";
    private static final int NAMED = 5;

    private final boolean scopeToNamespace;

    /**
     * @param scopeToNamespace istiod's {@code PILOT_SCOPE_GATEWAY_TO_NAMESPACE}: a gateway workload merges only the
     *     Gateways of its own namespace (then only Gateways of one namespace can conflict)
     */
    public GatewayReview(boolean scopeToNamespace) {
        this.scopeToNamespace = scopeToNamespace;
    }

    public static GatewayReview standard() {
        return new GatewayReview(false);
    }

    /** @param previous the stored version on UPDATE, or null on CREATE */
    public Decision review(GatewayView gateway, GatewayView previous, GatewaySnapshot index) {
        List<Finding> findings = findings(gateway, index);
        Set<Finding.Identity> before = previous == null ? Set.of()
                : findings(previous, index).stream().map(Finding::identity).collect(Collectors.toSet());
        List<Finding> denials = new ArrayList<>();
        List<Finding> warnings = new ArrayList<>();
        for (Finding finding : findings) {
            if (before.contains(finding.identity())) {
                warnings.add(finding.demotedToWarning(PRE_EXISTING));
            } else {
                denials.add(finding);
            }
        }
        return Decision.of(denials, warnings);
    }

    /** A Gateway being deleted: allowed; a warning names the VirtualServices still bound to it. */
    public Decision reviewDelete(EntryKey key, GatewaySnapshot index) {
        List<String> bound = index.boundTo(key).stream().filter(vs -> !vs.managedByMeshguard())
                .map(vs -> vs.key().toString()).sorted().toList();
        if (bound.isEmpty()) {
            return Decision.ALLOW;
        }
        String names = bound.stream().limit(NAMED).collect(Collectors.joining(", "))
                + (bound.size() > NAMED ? " and " + (bound.size() - NAMED) + " more" : "");
        String message = bound.size() + " VirtualService(s) still bound to Gateway " + key
                + " will route nothing through it (IST0101 once it is gone): " + names;
        return Decision.of(List.of(), List.of(new Finding(BOUND_VIRTUAL_SERVICES, Severity.WARN, "metadata.name",
                message, shorten(message), key, 0, List.of(new Cause(BOUND_VIRTUAL_SERVICES, "metadata.name",
                        message)))));
    }

    /** Every conflict of {@code gateway} with the indexed Gateways (its own stored version excluded). */
    public List<Finding> findings(GatewayView gateway, GatewaySnapshot index) {
        Map<String, Finding> found = new LinkedHashMap<>();
        for (Map<String, String> workload : GatewaySelection.workloads(gateway.selector(), index.selectors())) {
            List<Map<String, String>> applying = GatewaySelection.applying(workload, index.selectors());
            for (int port : gateway.ports()) {
                List<GatewayView> merged = new ArrayList<>();
                merged.add(gateway);
                for (Map<String, String> selector : applying) {
                    for (GatewayView other : index.onPort(selector, port)) {
                        if (!other.key().equals(gateway.key())
                                && (!scopeToNamespace || other.namespace().equals(gateway.namespace()))) {
                            merged.add(other);
                        }
                    }
                }
                merged.sort(GatewayOrder.ISTIOD);
                review(gateway, workload, port, merged, found);
            }
        }
        return List.copyOf(found.values());
    }

    private void review(GatewayView gateway, Map<String, String> workload, int port, List<GatewayView> merged,
            Map<String, Finding> found) {
        List<GatewayServerMerge.Drop> drops = GatewayServerMerge.drops(merged, port);
        List<GatewayServerMerge.Placed> dropped = new ArrayList<>();
        for (GatewayServerMerge.Drop drop : drops) {
            dropped.add(drop.dropped());
            boolean ours = drop.dropped().gateway().key().equals(gateway.key());
            boolean oursBlocks = drop.blocker().gateway().key().equals(gateway.key());
            if (ours || oursBlocks) {
                Finding finding = ours ? weDropped(gateway, workload, drop) : weBlock(gateway, workload, drop);
                found.putIfAbsent(SERVER_DROPPED + "|" + finding.other() + "|" + port + "|"
                        + drop.dropped().server().index() + "|" + drop.blocker().server().index(), finding);
            }
        }
        for (GatewayServer server : gateway.servers()) {
            if (server.port() != port || isDropped(dropped, gateway, server)) {
                continue;
            }
            for (GatewayView other : merged) {
                if (other.key().equals(gateway.key())) {
                    continue;
                }
                for (GatewayServer otherServer : other.servers()) {
                    if (otherServer.port() != port || isDropped(dropped, other, otherServer)) {
                        continue;
                    }
                    List<String> shared = ConflictingGateway.sharedHosts(gateway, server, other, otherServer);
                    if (!shared.isEmpty()) {
                        Finding finding = conflicting(gateway, server, other, otherServer, shared, workload, merged);
                        found.putIfAbsent(CONFLICTING + "|" + other.key() + "|" + port + "|" + server.index() + "|"
                                + otherServer.index(), finding);
                    }
                }
            }
        }
    }

    private static boolean isDropped(List<GatewayServerMerge.Placed> dropped, GatewayView gateway,
            GatewayServer server) {
        for (GatewayServerMerge.Placed p : dropped) {
            if (p.gateway().key().equals(gateway.key()) && p.server().index() == server.index()) {
                return true;
            }
        }
        return false;
    }

    private static Finding weDropped(GatewayView gateway, Map<String, String> workload,
            GatewayServerMerge.Drop drop) {
        GatewayServer server = drop.dropped().server();
        GatewayView keeper = drop.blocker().gateway();
        GatewayServer keeperServer = drop.blocker().server();
        boolean self = keeper.key().equals(gateway.key());
        String keeperName = self ? "this Gateway's own server " + keeperServer.field()
                : "Gateway " + keeper.key() + " (server " + keeperServer.field() + ", " + GatewayOrder.why(keeper,
                        gateway) + ")";
        String why = switch (drop.reason()) {
            case DUPLICATE_TLS_HOST -> keeperName + " already serves " + hosts(drop.hosts()) + " on port "
                    + server.port() + sameBind(server) + " from a server with a tls block, and istiod skips a later"
                    + " server with a tls block that repeats a host on the port (each host needs its own SNI match)";
            case PROTOCOL_CONFLICT -> "port " + server.port() + sameBind(server) + " already carries plain-text "
                    + keeperServer.protocol() + " from " + keeperName + ", and " + protocolOf(server)
                    + " cannot share it (only HTTP merges with HTTP)";
            case DUPLICATE_HTTPS_ROUTE -> keeperName + " is an HTTPS server on the same port with the same port name "
                    + "'" + server.portName() + "', and istiod tells HTTPS servers apart by port name";
        };
        String fix = fix(drop, keeper, self);
        String message = "istiod drops server " + server.field() + " (" + server.describe() + ", hosts "
                + server.writtenHosts() + ") of Gateway " + gateway.key() + " on " + workloads(workload) + ": "
                + why + ". " + (self ? "The earlier server" : keeper.key().toString())
                + " keeps it. Fix: " + fix + ".";
        String summary = "Gateway " + server.field() + " (" + server.describe() + ") is dropped by istiod: "
                + (self ? "this Gateway's " + keeperServer.field() : keeper.key().toString()) + " keeps the "
                + (drop.reason() == GatewayServerMerge.Reason.DUPLICATE_TLS_HOST ? "host" : "port");
        return finding(SERVER_DROPPED, server.field(), message, summary, keeper.key(), server.port(), workload,
                (self ? gateway.key() + " " + keeperServer.field() : keeper.key() + " ("
                        + GatewayOrder.why(keeper, gateway) + ")"), fix, self ? "" : keeper.key().toString());
    }

    private static Finding weBlock(GatewayView gateway, Map<String, String> workload, GatewayServerMerge.Drop drop) {
        GatewayServer ours = drop.blocker().server();
        GatewayView loser = drop.dropped().gateway();
        GatewayServer theirs = drop.dropped().server();
        String why = switch (drop.reason()) {
            case DUPLICATE_TLS_HOST -> "both serve " + hosts(drop.hosts()) + " on port " + ours.port()
                    + sameBind(ours) + " from servers with a tls block, and istiod keeps only the first";
            case PROTOCOL_CONFLICT -> "this Gateway's plain-text " + ours.protocol() + " takes port " + ours.port()
                    + sameBind(ours) + ", and " + protocolOf(theirs) + " cannot share it (only HTTP merges with HTTP)";
            case DUPLICATE_HTTPS_ROUTE -> "both are HTTPS servers on the same port with port name '"
                    + ours.portName() + "'";
        };
        String fix = switch (drop.reason()) {
            case DUPLICATE_TLS_HOST -> "serve a host " + loser.key() + " does not, or use another port";
            case PROTOCOL_CONFLICT -> "use another port for this server, or the protocol " + loser.key()
                    + " already serves there";
            case DUPLICATE_HTTPS_ROUTE -> "give this server its own port.name";
        };
        String message = "With this Gateway, istiod drops server " + theirs.field() + " (" + theirs.describe()
                + ", hosts " + theirs.writtenHosts() + ") of Gateway " + loser.key() + " on " + workloads(workload)
                + ": this Gateway's server " + ours.field() + " (" + ours.describe() + ") comes first in istiod's "
                + "order (" + GatewayOrder.why(gateway, loser) + ") and " + why + ". " + loser.key()
                + " would stop serving it. Fix: " + fix + ".";
        String summary = "Gateway " + ours.field() + " (" + ours.describe() + ") would make istiod drop "
                + theirs.field() + " of " + loser.key();
        return finding(SERVER_DROPPED, ours.field(), message, summary, loser.key(), ours.port(), workload,
                gateway.key() + " (" + GatewayOrder.why(gateway, loser) + ")", fix, loser.key().toString());
    }

    private static Finding conflicting(GatewayView gateway, GatewayServer server, GatewayView other,
            GatewayServer otherServer, List<String> shared, Map<String, String> workload, List<GatewayView> order) {
        boolean oursFirst = order.indexOf(gateway) < order.indexOf(other);
        GatewayView first = oursFirst ? gateway : other;
        GatewayView second = oursFirst ? other : gateway;
        boolean bothHttp = server.serverProtocol().isHttp() && otherServer.serverProtocol().isHttp()
                && server.tls() == null && otherServer.tls() == null;
        String effect = bothHttp
                ? "On port " + server.port() + ", istiod builds one virtual host per host name and puts the routes of "
                        + first.key() + "'s VirtualServices first (" + GatewayOrder.why(first, second) + "), so "
                        + second.key() + "'s VirtualServices only get the requests those leave"
                : "Both end up on the listener for port " + server.port() + ", and a connection for "
                        + (shared.size() == 1 ? "that host" : "those hosts") + " reaches only one of them";
        String fix = oursFirst
                ? "serve a host " + other.key() + " does not, or use another port; to serve one host from both, put "
                        + "the routes in VirtualServices bound to one Gateway"
                : "bind your VirtualServices to " + other.key() + " instead of declaring " + hosts(shared)
                        + " again; or use another port; or serve a host " + other.key() + " does not";
        String message = "Gateway " + gateway.key() + " server " + server.field() + " (" + server.describe()
                + ") and Gateway " + other.key() + " server " + otherServer.field() + " (" + otherServer.describe()
                + ") both serve " + hosts(shared) + " on " + workloads(workload)
                + " (istioctl analyze: IST0145 ConflictingGateways). " + effect + ". "
                + first.key() + " keeps " + (shared.size() == 1 ? "the host" : "the hosts") + ". Fix: " + fix + ".";
        String summary = "Gateway " + server.field() + " (" + server.describe() + ") serves " + hosts(shared)
                + " like " + other.key() + " on the same workload (IST0145); " + first.key() + " keeps it";
        return finding(CONFLICTING, server.field(), message, summary, other.key(), server.port(), workload,
                first.key() + " (" + GatewayOrder.why(first, second) + ")", fix, other.key().toString());
    }

    private static Finding finding(String code, String field, String message, String summary, EntryKey other,
            int port, Map<String, String> workload, String keeper, String fix, String conflictsWith) {
        List<Cause> causes = new ArrayList<>();
        causes.add(new Cause(code, field, message));
        if (!conflictsWith.isEmpty()) {
            causes.add(new Cause("ConflictsWith", field, conflictsWith));
        }
        causes.add(new Cause("Workload", field, GatewayView.describeSelector(workload)));
        causes.add(new Cause("Keeper", field, keeper));
        causes.add(new Cause("Fix", field, fix));
        return new Finding(code, Severity.DENY, field, message, shorten(summary), other, port, causes);
    }

    private static String fix(GatewayServerMerge.Drop drop, GatewayView keeper, boolean self) {
        String who = self ? "the earlier server" : keeper.key().toString();
        return switch (drop.reason()) {
            case DUPLICATE_TLS_HOST -> "serve a host " + who + " does not; or use another port; or "
                    + (self ? "declare the host once" : "add the route to VirtualServices bound to " + keeper.key()
                            + " so one Gateway serves the host");
            case PROTOCOL_CONFLICT -> "use another port; or the protocol " + who + " serves there ("
                    + drop.blocker().server().protocol() + ")";
            case DUPLICATE_HTTPS_ROUTE -> "give this server its own port.name";
        };
    }

    private static String protocolOf(GatewayServer server) {
        String p = server.protocol().isEmpty() ? "a server without protocol" : server.protocol();
        return server.tlsServer() ? p + " with TLS" : p;
    }

    private static String sameBind(GatewayServer server) {
        return server.bind().isEmpty() ? "" : " (bind " + server.bind() + ")";
    }

    private static String hosts(List<String> hosts) {
        return hosts.size() == 1 ? "host " + hosts.get(0) : "hosts " + hosts;
    }

    static String workloads(Map<String, String> workload) {
        return workload.isEmpty() ? "every gateway workload"
                : "the gateway workloads labelled " + GatewayView.describeSelector(workload);
    }

    /** A warning's summary stays under the 256 characters the API server keeps, even with a prefix added. */
    static String shorten(String s) {
        return s.length() <= 190 ? s : s.substring(0, 187) + "...";
    }
}
