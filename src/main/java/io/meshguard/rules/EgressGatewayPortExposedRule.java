package io.meshguard.rules;

import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ProtocolClass;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.List;

/**
 * Sidecars send HTTP to the gateway Service's HTTP port and TLS to its TLS port; a port the Service does not
 * expose has no listener to reach.
 */
public final class EgressGatewayPortExposedRule extends EgressRule {

    public static final String CODE = "EgressPortNotExposed";

    public EgressGatewayPortExposedRule(EgressSettings settings) {
        super(settings);
    }

    @Override
    protected List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            int gatewayPort;
            if (port.protocolClass() == ProtocolClass.HTTP) {
                gatewayPort = settings.httpPort();
            } else if (port.protocolClass() == ProtocolClass.TLS) {
                gatewayPort = settings.tlsPort();
            } else {
                continue;
            }
            if (!settings.servicePorts().contains(gatewayPort)) {
                findings.add(deny(CODE, "spec.ports[" + i + "]", port.number(), "ServiceEntry " + entry.key()
                        + " port " + port.display() + " would reach the egress gateway on port " + gatewayPort
                        + ", which Service " + request.gateway().serviceHost() + " does not expose (it exposes "
                        + settings.servicePorts() + "). Expose port " + gatewayPort
                        + " on the gateway Service, or route this entry without the egress gateway.",
                        "port " + port.display() + " needs egress gateway port " + gatewayPort
                                + ", which the gateway Service does not expose"));
            }
        }
        return findings;
    }
}
