package io.meshguard.rules;

import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.Visibility;
import java.util.List;

/**
 * The gateway's proxy routes to the external host only if the entry is exported to the gateway's namespace,
 * and it applies the generated VirtualService only if that is too. The VirtualService is exported exactly
 * like the entry, so one check covers both.
 */
public final class EgressVisibleToGatewayRule extends EgressRule {

    public static final String CODE = "EgressNotVisibleToGateway";

    public EgressVisibleToGatewayRule(EgressSettings settings) {
        super(settings);
    }

    @Override
    protected List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh) {
        String gatewayNamespace = request.gateway().namespace();
        Visibility visibility = entry.visibility(mesh);
        if (visibility.everywhere() || visibility.specific().contains(gatewayNamespace)) {
            return List.of();
        }
        String exportTo = entry.exportTo().isEmpty()
                ? "unset, so the mesh default " + mesh.defaultServiceExportTo() + " applies"
                : entry.exportTo().toString();
        return List.of(deny(CODE, "spec.exportTo", 0, "ServiceEntry " + entry.key()
                + " is not visible to namespace " + gatewayNamespace + ", where the egress gateway runs (exportTo "
                + exportTo + "): the gateway could not route to the host, and the generated VirtualService, "
                + "exported like the entry, would not reach the gateway. Add " + gatewayNamespace
                + " (or *) to spec.exportTo.",
                "not exported to " + gatewayNamespace + ", the egress gateway's namespace"));
    }
}
