package io.meshguard.rules;

import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway tells connections apart by the port they arrive on and then by the HTTP Host or the TLS SNI.
 * Plain TCP carries neither, so it would have to share the HTTP or TLS port with traffic it cannot be told
 * apart from; and two ports of one class of one entry arrive on the same gateway port with the same hosts,
 * so the gateway cannot know which of them the client meant.
 */
public final class EgressGatewayPortSharingRule extends EgressRule {

    public static final String CODE = "EgressGatewayPortShared";

    public EgressGatewayPortSharingRule(EgressSettings settings) {
        super(settings);
    }

    @Override
    protected List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh) {
        List<Finding> findings = new ArrayList<>();
        ServicePort firstHttp = null;
        ServicePort firstTls = null;
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            String field = "spec.ports[" + i + "]";
            switch (port.protocolClass()) {
                case OPAQUE -> findings.add(deny(CODE, field, port.number(), "ServiceEntry " + entry.key()
                        + " port " + port.display() + " is plain TCP: it has no Host header or SNI, so through the "
                        + "egress gateway it would have to share gateway port " + settings.httpPort() + " or "
                        + settings.tlsPort() + " with traffic it cannot be told apart from. Declare it TLS if the "
                        + "client speaks TLS, or route this entry without the egress gateway.",
                        "port " + port.display() + " is plain TCP and would share an egress gateway port"));
                case HTTP -> {
                    if (firstHttp == null) {
                        firstHttp = port;
                    } else {
                        findings.add(sameGatewayPort(entry, field, firstHttp, port, settings.httpPort()));
                    }
                }
                case TLS -> {
                    if (firstTls == null) {
                        firstTls = port;
                    } else {
                        findings.add(sameGatewayPort(entry, field, firstTls, port, settings.tlsPort()));
                    }
                }
                case UDP -> { }
            }
        }
        return findings;
    }

    private static Finding sameGatewayPort(ServiceEntryFacts entry, String field, ServicePort first, ServicePort port,
            int gatewayPort) {
        return deny(CODE, field, port.number(), "ServiceEntry " + entry.key() + " ports " + first.display() + " and "
                + port.display() + " would both arrive at egress gateway port " + gatewayPort
                + " for the same hosts, and the gateway could not tell which port the client meant. Route only one "
                + "of them through the egress gateway (split the entry).",
                "ports " + first.display() + " and " + port.display() + " would share egress gateway port "
                        + gatewayPort);
    }
}
