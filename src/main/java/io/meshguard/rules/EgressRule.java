package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;

/**
 * A check that applies only to entries carrying {@code meshguard.io/egress-gateway}: what the generated egress
 * routing pair needs from the entry to work. The companion planner runs the same checks and generates no pair
 * for an entry that fails one, so a pre-existing or unchecked entry never gets a broken pair either.
 */
public abstract class EgressRule implements ServiceEntryRule {

    protected final EgressSettings settings;

    protected EgressRule(EgressSettings settings) {
        this.settings = settings;
    }

    /** Every egress rule, in the order their denials are reported. */
    public static List<EgressRule> all(EgressSettings settings) {
        return List.of(
                new EgressAnnotationRule(settings),
                new EgressResolutionRule(settings),
                new EgressVisibleToGatewayRule(settings),
                new EgressGatewayPortExposedRule(settings),
                new EgressGatewayPortSharingRule(settings),
                new EgressNameIsDnsLabelRule(settings));
    }

    @Override
    public final List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        return check(entry, index.mesh());
    }

    public final List<Finding> check(ServiceEntryFacts entry, MeshConfig mesh) {
        return EgressRequest.of(entry, settings)
                .map(request -> applies(request) ? check(entry, request, mesh) : List.<Finding>of())
                .orElse(List.of());
    }

    /** Most rules need to know the gateway, so they stay silent when the annotation itself is unreadable. */
    protected boolean applies(EgressRequest request) {
        return request.readable();
    }

    protected abstract List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh);

    /** @param summary a short form, for {@code response.warnings} when an UPDATE demotes the denial */
    static Finding deny(String code, String field, int port, String message, String summary) {
        return new Finding(code, Severity.DENY, field, message, summary, null, port,
                List.of(new Cause(code, field, message)));
    }
}
