package io.meshguard.server;

import io.meshguard.companions.CompanionSettings;
import io.meshguard.mesh.EgressGateway;
import io.meshguard.mesh.EgressSettings;
import java.util.HashSet;

/** Turns the {@code meshguard.companions.*} keys into the planner's settings, refusing a selector it cannot read. */
final class CompanionConfiguration {

    private CompanionConfiguration() {
    }

    static CompanionSettings settings(MeshguardConfig config) {
        MeshguardConfig.Companions.Egress egress = config.companions().egress();
        var selector = EgressGateway.parseSelector(egress.selector()).orElseThrow(() -> new IllegalArgumentException(
                "meshguard.companions.egress.selector must be key=value[,key=value], got '" + egress.selector() + "'"));
        EgressSettings egressSettings = new EgressSettings(
                new EgressGateway(egress.namespace(), egress.serviceHost(), selector),
                egress.httpPort(), egress.tlsPort(), new HashSet<>(egress.servicePorts()), egress.subset(),
                egress.clusterDomain());
        return new CompanionSettings("networking.istio.io/" + config.cluster().serviceEntryVersion(),
                config.companions().sni().enabled(), egressSettings);
    }
}
