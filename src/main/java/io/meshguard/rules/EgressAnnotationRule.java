package io.meshguard.rules;

import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.MeshguardAnnotations;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;

/** The egress annotations must name a gateway meshguard can generate for. */
public final class EgressAnnotationRule extends EgressRule {

    public static final String CODE = "EgressAnnotationInvalid";

    public EgressAnnotationRule(EgressSettings settings) {
        super(settings);
    }

    @Override
    protected boolean applies(EgressRequest request) {
        return !request.readable();
    }

    @Override
    protected List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh) {
        return List.of(deny(CODE, "metadata.annotations[" + MeshguardAnnotations.EGRESS_GATEWAY + "]", 0,
                "ServiceEntry " + entry.key() + ": " + request.problem() + ".",
                "egress annotations unreadable: " + MeshguardAnnotations.EGRESS_GATEWAY
                        + " must be empty or <namespace>/<service>, the selector key=value pairs"));
    }
}
