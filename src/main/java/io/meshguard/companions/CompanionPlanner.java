package io.meshguard.companions;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.mesh.EgressGateway;
import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.MeshguardAnnotations;
import io.meshguard.mesh.ProtocolClass;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.Visibility;
import io.meshguard.rules.EgressRule;
import io.meshguard.rules.Finding;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides the companions of one ServiceEntry: pure, so the mutating webhook (which records the plan), the
 * controller (which applies it) and {@code meshguard plan} (which prints it) always agree.
 *
 * <ul>
 * <li>An entry with {@code meshguard.io/egress-gateway} gets the egress routing pair (Gateway, VirtualService
 * and, with a configured subset, a DestinationRule), and never an SNI VirtualService: the egress
 * VirtualService already owns its hosts on {@code mesh}.</li>
 * <li>Any other entry with a TLS or HTTPS port gets the SNI VirtualService, for the hosts no other
 * VirtualService already routes on {@code mesh} in an overlapping scope (a second one is istioctl's IST0109).</li>
 * </ul>
 *
 * <p>An entry with only {@code metadata.generateName} gets no plan: its companions' names depend on its own, which
 * is not known yet ({@link #NOT_NAMED_YET}).
 */
public final class CompanionPlanner {

    /**
     * The note of an entry with only {@code metadata.generateName}: its companions are named after it, and the API
     * server names it only after the mutating webhooks. The controller plans them from the stored entry.
     */
    public static final String NOT_NAMED_YET = "No companions planned yet: they are named after the entry, whose name"
            + " the API server generates (metadata.generateName) after this plan; the controller writes them under"
            + " that name once the entry is stored.";

    private static final Comparator<ObjectNode> BY_REFERENCE = Comparator.comparing(Companions::reference);
    private static final int MAX_NAME = 253;

    private final CompanionSettings settings;
    private final List<EgressRule> egressRules;

    public CompanionPlanner(CompanionSettings settings) {
        this.settings = settings;
        this.egressRules = EgressRule.all(settings.egress());
    }

    /**
     * @param virtualServices the VirtualServices in the cluster (the planner picks those that matter)
     * @param mesh the MeshConfig, for the entry's effective exportTo
     */
    public Plan plan(ServiceEntryFacts entry, Collection<RoutingVirtualService> virtualServices, MeshConfig mesh) {
        List<ObjectNode> objects = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Plan.Yield> yields = new ArrayList<>();
        if (entry.key().isGenerated()) {
            notes.add(NOT_NAMED_YET);
            return new Plan(objects, notes, yields);
        }
        var egress = EgressRequest.of(entry, settings.egress());
        if (egress.isPresent()) {
            List<Finding> problems = egressRules.stream().flatMap(r -> r.check(entry, mesh).stream()).toList();
            boolean routable = entry.ports().stream().map(ServicePort::protocolClass)
                    .anyMatch(c -> c == ProtocolClass.HTTP || c == ProtocolClass.TLS);
            if (!problems.isEmpty()) {
                problems.forEach(p -> notes.add("No egress routing pair: " + p.message()));
            } else if (!routable) {
                notes.add("No egress routing pair: the entry has no HTTP or TLS port to route.");
            } else {
                objects.addAll(egressPair(entry, egress.get().gateway(), mesh));
            }
        } else {
            sniVirtualService(entry, virtualServices, notes, yields).ifPresent(objects::add);
        }
        objects.sort(BY_REFERENCE);
        return new Plan(objects, notes, yields);
    }

    // --- SNI VirtualService (seed 000) ---------------------------------------------------------------

    private Optional<ObjectNode> sniVirtualService(ServiceEntryFacts entry,
            Collection<RoutingVirtualService> virtualServices, List<String> notes, List<Plan.Yield> yields) {
        List<ServicePort> tlsPorts = entry.ports().stream()
                .filter(p -> p.protocolClass() == ProtocolClass.TLS).toList();
        if (tlsPorts.isEmpty() || entry.hosts().isEmpty()) {
            return Optional.empty();
        }
        String name = entry.name() + Companions.SNI_SUFFIX;
        if (!settings.sniEnabled()) {
            notes.add("No SNI VirtualService: switched off cluster-wide (meshguard.companions.sni.enabled=false).");
            return Optional.empty();
        }
        if ("false".equalsIgnoreCase(entry.annotations().getOrDefault(MeshguardAnnotations.SNI_VIRTUAL_SERVICE, "")
                .trim())) {
            notes.add("No SNI VirtualService: switched off by annotation "
                    + MeshguardAnnotations.SNI_VIRTUAL_SERVICE + ": \"false\".");
            return Optional.empty();
        }
        if (name.length() > MAX_NAME) {
            notes.add("No SNI VirtualService: the name " + name + " would be longer than " + MAX_NAME + " characters.");
            return Optional.empty();
        }
        Visibility scope = Visibility.of(entry.namespace(), entry.exportTo(), List.of());
        List<String> hosts = new ArrayList<>();
        for (String host : entry.hosts()) {
            List<String> routedBy = virtualServices.stream()
                    .filter(vs -> conflicts(vs, host, entry, name, scope))
                    .map(vs -> vs.namespace() + "/" + vs.name())
                    .sorted().toList();
            if (routedBy.isEmpty()) {
                hosts.add(host);
            } else {
                yields.add(new Plan.Yield(host, routedBy));
            }
        }
        if (hosts.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode vs = Companions.skeleton(settings.apiVersion(), "VirtualService", name, entry);
        ObjectNode spec = vs.putObject("spec");
        hosts.forEach(spec.putArray("hosts")::add);
        if (!entry.exportTo().isEmpty()) {
            entry.exportTo().forEach(spec.putArray("exportTo")::add);
        }
        ArrayNode tls = spec.putArray("tls");
        for (ServicePort port : tlsPorts) {
            for (String host : hosts) {
                ObjectNode route = tls.addObject();
                ObjectNode match = route.putArray("match").addObject();
                match.put("port", port.number());
                match.putArray("sniHosts").add(host);
                route.putArray("route").add(destination(host, port.number(), null));
            }
        }
        return Optional.of(vs);
    }

    /**
     * Whether {@code vs} already routes {@code host} on mesh where the SNI VirtualService would apply. Its own
     * earlier version does not count. Another entry's SNI VirtualService counts only when that entry sorts first,
     * so two entries of one host settle on one VirtualService instead of both giving way.
     */
    private static boolean conflicts(RoutingVirtualService vs, String host, ServiceEntryFacts entry, String name,
            Visibility scope) {
        if (!vs.boundToMesh() || !vs.routes(host, entry.namespace()) || scope.overlap(vs.scope()).isHidden()) {
            return false;
        }
        if (vs.owner() == null) {
            return true;
        }
        if (vs.owner().equals(entry.key())) {
            return !vs.name().equals(name);
        }
        boolean otherSni = vs.name().equals(vs.owner().name() + Companions.SNI_SUFFIX);
        return !otherSni || vs.owner().compareTo(entry.key()) < 0;
    }

    // --- egress routing pair (seed 004) -----------------------------------------------------------------

    private List<ObjectNode> egressPair(ServiceEntryFacts entry, EgressGateway gateway, MeshConfig mesh) {
        String name = entry.name() + Companions.EGRESS_SUFFIX;
        int httpPort = settings.egress().httpPort();
        int tlsPort = settings.egress().tlsPort();
        String subset = settings.egress().subset().orElse(null);
        List<ServicePort> httpPorts = entry.ports().stream()
                .filter(p -> p.protocolClass() == ProtocolClass.HTTP).toList();
        List<ServicePort> tlsPorts = entry.ports().stream()
                .filter(p -> p.protocolClass() == ProtocolClass.TLS).toList();
        List<String> exportTo = effectiveExportTo(entry, mesh);

        ObjectNode gatewayObject = Companions.skeleton(settings.apiVersion(), "Gateway", name, entry);
        ObjectNode gatewaySpec = gatewayObject.putObject("spec");
        ObjectNode selector = gatewaySpec.putObject("selector");
        gateway.selector().forEach(selector::put);
        ArrayNode servers = gatewaySpec.putArray("servers");
        if (!httpPorts.isEmpty()) {
            server(servers, httpPort, "http", "HTTP", entry.hosts());
        }
        if (!tlsPorts.isEmpty()) {
            server(servers, tlsPort, "tls", "TLS", entry.hosts()).putObject("tls").put("mode", "PASSTHROUGH");
        }

        ObjectNode vs = Companions.skeleton(settings.apiVersion(), "VirtualService", name, entry);
        ObjectNode vsSpec = vs.putObject("spec");
        entry.hosts().forEach(vsSpec.putArray("hosts")::add);
        vsSpec.putArray("gateways").add(RoutingVirtualService.MESH).add(name);
        exportTo.forEach(vsSpec.putArray("exportTo")::add);
        if (!httpPorts.isEmpty()) {
            ArrayNode http = vsSpec.putArray("http");
            for (ServicePort port : httpPorts) {
                ObjectNode toGateway = http.addObject();
                toGateway.putArray("match").add(match(RoutingVirtualService.MESH, port.number()));
                toGateway.putArray("route").add(destination(gateway.serviceHost(), httpPort, subset));
                for (String host : entry.hosts()) {
                    ObjectNode toHost = http.addObject();
                    ObjectNode match = match(name, httpPort);
                    // The gateway's routes are shared by all the VirtualService's hosts; with more than one host,
                    // only the Host header tells which one the request is for (with the port when not default).
                    if (entry.hosts().size() > 1) {
                        match.putObject("authority").put("regex", "^" + host.replace(".", "\\.") + "(:[0-9]+)?$");
                    }
                    toHost.putArray("match").add(match);
                    toHost.putArray("route").add(destination(host, port.number(), null));
                }
            }
        }
        if (!tlsPorts.isEmpty()) {
            ArrayNode tls = vsSpec.putArray("tls");
            for (ServicePort port : tlsPorts) {
                for (String host : entry.hosts()) {
                    ObjectNode toGateway = tls.addObject();
                    toGateway.putArray("match").add(match(RoutingVirtualService.MESH, port.number())
                            .set("sniHosts", toGateway.arrayNode().add(host)));
                    toGateway.putArray("route").add(destination(gateway.serviceHost(), tlsPort, subset));
                    ObjectNode toHost = tls.addObject();
                    toHost.putArray("match").add(match(name, tlsPort)
                            .set("sniHosts", toHost.arrayNode().add(host)));
                    toHost.putArray("route").add(destination(host, port.number(), null));
                }
            }
        }

        List<ObjectNode> pair = new ArrayList<>(List.of(gatewayObject, vs));
        if (subset != null) {
            ObjectNode rule = Companions.skeleton(settings.apiVersion(), "DestinationRule", name, entry);
            ObjectNode ruleSpec = rule.putObject("spec");
            ruleSpec.put("host", gateway.serviceHost());
            exportTo.forEach(ruleSpec.putArray("exportTo")::add);
            ruleSpec.putArray("subsets").addObject().put("name", subset);
            pair.add(rule);
        }
        return pair;
    }

    /**
     * The entry's exportTo written out: the VirtualService must be seen exactly where the entry is, and an unset
     * exportTo on a VirtualService would follow {@code defaultVirtualServiceExportTo}, which may differ.
     */
    private static List<String> effectiveExportTo(ServiceEntryFacts entry, MeshConfig mesh) {
        if (!entry.exportTo().isEmpty()) {
            return entry.exportTo();
        }
        if (!mesh.defaultServiceExportTo().isEmpty()) {
            return mesh.defaultServiceExportTo();
        }
        return List.of(Visibility.ALL);
    }

    private static ObjectNode server(ArrayNode servers, int number, String portName, String protocol,
            List<String> hosts) {
        ObjectNode server = servers.addObject();
        ObjectNode port = server.putObject("port");
        port.put("number", number);
        port.put("name", portName);
        port.put("protocol", protocol);
        Set<String> unique = new LinkedHashSet<>(hosts);
        unique.forEach(server.putArray("hosts")::add);
        return server;
    }

    private static ObjectNode match(String gateway, int port) {
        ObjectNode match = JsonNodeFactory.instance.objectNode();
        match.putArray("gateways").add(gateway);
        match.put("port", port);
        return match;
    }

    private static ObjectNode destination(String host, int port, String subset) {
        ObjectNode route = JsonNodeFactory.instance.objectNode();
        ObjectNode destination = route.putObject("destination");
        destination.put("host", host);
        if (subset != null) {
            destination.put("subset", subset);
        }
        destination.putObject("port").put("number", port);
        route.put("weight", 100);
        return route;
    }
}
