package io.meshguard.rules;

import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;

/**
 * The gateway must resolve the host by DNS. With resolution NONE it forwards to the original destination
 * address, and a connection that a sidecar sent to the gateway has the gateway as its destination: it loops.
 * DNS_ROUND_ROBIN is DNS resolution too; STATIC and DYNAMIC_DNS are not what the pair is built for.
 */
public final class EgressResolutionRule extends EgressRule {

    public static final String CODE = "EgressNeedsDnsResolution";

    public EgressResolutionRule(EgressSettings settings) {
        super(settings);
    }

    @Override
    protected List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh) {
        Resolution resolution = entry.resolution();
        if (resolution == Resolution.DNS || resolution == Resolution.DNS_ROUND_ROBIN) {
            return List.of();
        }
        String why = resolution == Resolution.NONE
                ? "with resolution NONE the egress gateway forwards to the original destination address, which is "
                        + "the gateway itself, so the traffic loops"
                : "meshguard routes only DNS-resolved entries through the egress gateway";
        return List.of(deny(CODE, "spec.resolution", 0, "ServiceEntry " + entry.key()
                + " asks for the egress gateway but has resolution " + resolution + ": " + why
                + ". Set spec.resolution: DNS.",
                "the egress gateway needs resolution DNS, not " + resolution));
    }
}
