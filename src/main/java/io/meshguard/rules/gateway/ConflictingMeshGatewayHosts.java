package io.meshguard.rules.gateway;

import io.meshguard.index.GatewaySnapshot;
import io.meshguard.mesh.gateway.HostNames;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * istioctl's IST0109 ConflictingMeshGatewayVirtualServiceHosts ({@code ConflictingMeshGatewayHostsAnalyzer} in
 * {@code pkg/config/analysis/analyzers/virtualservice/conflictingmeshgatewayhosts.go}): two VirtualServices bound
 * to {@code mesh} (explicitly, or by naming no gateway) route the same host where both are visible; which one the
 * sidecars use is not defined.
 *
 * <p>As the analyzer: a host is qualified in its VirtualService's namespace ({@code reviews} in {@code foo} is
 * {@code reviews.foo.svc.cluster.local}); the scope is {@code *} when {@code exportTo} is unset or contains
 * {@code *}, else the listed namespaces ({@code .} is its own). Two VirtualServices conflict on the same scope and
 * host, or when one is exported to {@code *} and its host matches (wildcards included) the other's scoped host.
 * Unlike the analyzer, {@code exportTo: [~]} (visible nowhere) conflicts with nothing, and a VirtualService never
 * conflicts with itself.
 *
 * <p>Only {@code mesh} is checked, as in istioctl: on a named Gateway istiod appends the routes of every
 * VirtualService for a host to one virtual host ({@code buildGatewayHTTPRouteConfig}), which Istio documents as
 * the way to split a large VirtualService.
 */
public final class ConflictingMeshGatewayHosts {

    public static final String CODE = "ConflictingMeshGatewayHosts";
    private static final String ALL = "*";
    private static final int NAMED = 5;

    private ConflictingMeshGatewayHosts() {
    }

    /** {@code exportTo} as the analyzer scopes it. */
    static Set<String> scopes(VirtualServiceView vs) {
        if (vs.exportTo().isEmpty() || vs.exportTo().contains(ALL)) {
            return Set.of(ALL);
        }
        Set<String> scopes = new LinkedHashSet<>();
        for (String e : vs.exportTo()) {
            if (e.equals(".")) {
                scopes.add(vs.namespace());
            } else if (!e.equals("~")) {
                scopes.add(e);
            }
        }
        return scopes;
    }

    static Set<String> hosts(VirtualServiceView vs) {
        Set<String> hosts = new LinkedHashSet<>();
        vs.hosts().forEach(h -> hosts.add(HostNames.qualified(h, vs.namespace())));
        return hosts;
    }

    /** Whether two VirtualServices bound to {@code mesh} conflict. */
    public static boolean conflict(VirtualServiceView a, VirtualServiceView b) {
        if (a.key().equals(b.key()) || !a.boundToMesh() || !b.boundToMesh()) {
            return false;
        }
        Set<String> aScopes = scopes(a);
        Set<String> bScopes = scopes(b);
        Set<String> bHosts = hosts(b);
        for (String sa : aScopes) {
            for (String sb : bScopes) {
                for (String ha : hosts(a)) {
                    for (String hb : bHosts) {
                        boolean exact = sa.equals(sb) && ha.equals(hb);
                        boolean exported = (sa.equals(ALL) != sb.equals(ALL)) && HostNames.matches(ha, hb);
                        if (exact || exported) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** The VirtualServices {@code vs} conflicts with on {@code mesh}, meshguard's companions left out. */
    public static List<VirtualServiceView> conflicts(VirtualServiceView vs, GatewaySnapshot index) {
        if (!vs.boundToMesh()) {
            return List.of();
        }
        Set<VirtualServiceView> candidates = new LinkedHashSet<>();
        boolean wildcard = false;
        for (String host : hosts(vs)) {
            candidates.addAll(index.onMeshWithHost(host));
            wildcard |= HostNames.wildcard(host);
        }
        Collection<VirtualServiceView> more = wildcard ? index.onMesh() : index.onMeshWithWildcardHost();
        candidates.addAll(more);
        List<VirtualServiceView> conflicts = new ArrayList<>();
        for (VirtualServiceView other : candidates) {
            if (!other.managedByMeshguard() && conflict(vs, other)) {
                conflicts.add(other);
            }
        }
        return conflicts;
    }

    /** A warning naming the VirtualServices {@code vs} conflicts with; null when there are none. */
    public static Finding check(VirtualServiceView vs, GatewaySnapshot index) {
        List<VirtualServiceView> conflicts = conflicts(vs, index);
        if (conflicts.isEmpty()) {
            return null;
        }
        TreeSet<String> names = new TreeSet<>();
        conflicts.forEach(c -> names.add(c.key().toString()));
        String listed = String.join(", ", names.stream().limit(NAMED).toList())
                + (names.size() > NAMED ? " and " + (names.size() - NAMED) + " more" : "");
        String message = "VirtualService " + vs.key() + " routes a host on mesh that " + listed
                + " also route" + (names.size() == 1 ? "s" : "") + " where both are visible (IST0109): which one the "
                + "sidecars use is not defined. Fix: merge them into one VirtualService, or separate them with exportTo";
        String summary = "Host also routed on mesh by " + listed + " (IST0109); which one sidecars use is undefined";
        return new Finding(CODE, Severity.WARN, "spec.hosts", message, GatewayReview.shorten(summary),
                conflicts.get(0).key(), 0, List.of(new Cause(CODE, "spec.hosts", message)));
    }
}
