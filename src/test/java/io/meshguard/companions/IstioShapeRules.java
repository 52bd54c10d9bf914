package io.meshguard.companions;

import io.meshguard.testing.Fixtures;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules Istio applies to objects like the generated ones, restated from its validation and from
 * istioctl, so that a fixture cannot expect an object Istio would refuse or misroute:
 * every SNI host lies within the VirtualService's hosts; a Gateway's name is a DNS label; a TLS or HTTPS
 * server has {@code tls.mode}; each route's destination port exists on its destination; and the gateways a
 * route matches on are gateways the VirtualService is bound to.
 */
final class IstioShapeRules {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private IstioShapeRules() {
    }

    static void check(List<? extends JsonNode> objects, ServiceEntryFacts entry, EgressSettings egress) {
        Set<String> gatewayNames = new HashSet<>();
        objects.stream().filter(o -> o.path("kind").asText().equals("Gateway"))
                .forEach(o -> gatewayNames.add(o.path("metadata").path("name").asText()));
        for (JsonNode object : objects) {
            String name = object.path("metadata").path("name").asText();
            assertThat(object.path("metadata").path("namespace").asText()).as("%s lives beside its entry", name)
                    .isEqualTo(entry.namespace());
            switch (object.path("kind").asText()) {
                case "Gateway" -> gateway(object, name);
                case "VirtualService" -> virtualService(object, name, entry, egress, gatewayNames);
                case "DestinationRule" -> assertThat(object.path("spec").path("host").asText())
                        .as("the DestinationRule is for the gateway host").isNotEmpty();
                default -> throw new AssertionError("unexpected kind in " + object);
            }
        }
    }

    private static void gateway(JsonNode gateway, String name) {
        assertThat(name).as("a Gateway name is a DNS label").matches(DNS_LABEL);
        assertThat(gateway.path("spec").path("servers").size()).as("%s has servers", name).isPositive();
        for (JsonNode server : gateway.path("spec").path("servers")) {
            String protocol = server.path("port").path("protocol").asText();
            assertThat(server.path("port").path("name").asText()).as("server port name").isNotEmpty();
            if (protocol.equals("TLS") || protocol.equals("HTTPS")) {
                assertThat(server.path("tls").path("mode").asText()).as("a %s server has tls.mode", protocol)
                        .isNotEmpty();
            }
            assertThat(server.path("hosts").size()).as("a server has hosts").isPositive();
        }
    }

    private static void virtualService(JsonNode vs, String name, ServiceEntryFacts entry, EgressSettings egress,
            Set<String> gatewayNames) {
        List<String> hosts = Fixtures.texts(vs.path("spec").path("hosts"));
        List<String> bound = Fixtures.texts(vs.path("spec").path("gateways"));
        for (String gateway : bound) {
            assertThat(gateway.equals("mesh") || gatewayNames.contains(gateway))
                    .as("%s is bound to mesh or to a generated Gateway, not %s", name, gateway).isTrue();
        }
        for (String section : List.of("http", "tls")) {
            for (JsonNode route : vs.path("spec").path(section)) {
                assertThat(route.path("match").size()).as("%s route has a match", section).isPositive();
                for (JsonNode match : route.path("match")) {
                    for (String gateway : Fixtures.texts(match.path("gateways"))) {
                        assertThat(bound.isEmpty() ? List.of("mesh") : bound)
                                .as("a match's gateway is one the VirtualService is bound to").contains(gateway);
                    }
                    if (section.equals("tls")) {
                        List<String> sni = Fixtures.texts(match.path("sniHosts"));
                        assertThat(sni).as("a tls match has sniHosts").isNotEmpty();
                        sni.forEach(h -> assertThat(within(h, hosts))
                                .as("SNI host %s lies within the VirtualService's hosts %s", h, hosts).isTrue());
                    }
                }
                for (JsonNode destination : route.path("route")) {
                    destinationPortExists(destination.path("destination"), entry, egress);
                }
            }
        }
    }

    private static void destinationPortExists(JsonNode destination, ServiceEntryFacts entry, EgressSettings egress) {
        String host = destination.path("host").asText();
        int port = destination.path("port").path("number").asInt(-1);
        if (entry.hosts().contains(host)) {
            assertThat(entry.ports().stream().map(ServicePort::number).toList())
                    .as("destination %s port %d is one of the entry's ports", host, port).contains(port);
        } else {
            assertThat(egress.servicePorts()).as("destination %s port %d is exposed by the egress Service", host, port)
                    .contains(port);
        }
    }

    private static boolean within(String sni, List<String> hosts) {
        for (String host : hosts) {
            if (host.equals(sni) || (host.startsWith("*") && sni.endsWith(host.substring(1)))) {
                return true;
            }
        }
        return false;
    }
}
