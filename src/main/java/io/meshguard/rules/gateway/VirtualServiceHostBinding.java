package io.meshguard.rules.gateway;

import io.meshguard.mesh.gateway.GatewayHost;
import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.HostNames;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * istioctl's IST0132 VirtualServiceHostNotFoundInGateway ({@code vsHostInGateway} in
 * {@code pkg/config/analysis/analyzers/virtualservice/gateways.go}): none of the VirtualService's hosts matches a
 * host of any server of the Gateway it binds to. A server host {@code ns/h} counts only for VirtualServices in
 * {@code ns} ({@code ./h}: the Gateway's namespace; {@code * /h} and plain {@code h}: any), as in istiod's
 * {@code host.NamesForNamespace}; wildcards match as {@code host.Name.Matches}.
 */
public final class VirtualServiceHostBinding {

    public static final String CODE = "VirtualServiceHostNotInGateway";

    private VirtualServiceHostBinding() {
    }

    /** The server hosts of {@code gateway} a VirtualService in {@code namespace} may use. */
    public static Set<String> exposedTo(GatewayView gateway, String namespace) {
        Set<String> names = new LinkedHashSet<>();
        for (GatewayServer server : gateway.servers()) {
            for (GatewayHost host : server.hosts()) {
                String name = host.nameFor(namespace, gateway.namespace());
                if (name != null) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** A warning when no host of {@code vs} is exposed by {@code gateway}; null otherwise. */
    public static Finding check(VirtualServiceView vs, int i, GatewayView gateway) {
        Set<String> exposed = exposedTo(gateway, vs.namespace());
        for (String gatewayHost : exposed) {
            for (String host : vs.hosts()) {
                if (HostNames.matches(gatewayHost, host)) {
                    return null;
                }
            }
        }
        String field = "spec.gateways[" + i + "]";
        List<String> shown = new ArrayList<>(exposed);
        String message = "None of hosts " + vs.hosts() + " is served by Gateway " + gateway.key()
                + (shown.isEmpty() ? ", which serves no host to namespace " + vs.namespace()
                        : " (it serves " + shown + " to namespace " + vs.namespace() + ")")
                + " (IST0132): this VirtualService routes nothing through it";
        String summary = "None of this VirtualService's hosts is served by Gateway " + gateway.key() + " (IST0132): "
                + "it routes nothing through it";
        return new Finding(CODE, Severity.WARN, field, message, GatewayReview.shorten(summary), gateway.key(), 0,
                List.of(new Cause(CODE, field, message)));
    }
}
