package io.meshguard.admission;

import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.rules.Decision;
import io.meshguard.rules.gateway.GatewayReview;

/**
 * Runs the Gateway rules over the {@link GatewayIndex} and records what it allowed, in one atomic step, so that
 * two conflicting Gateways reviewed at once are not both allowed. It has a side effect, so it is the last
 * validator of its route. A dry run is judged the same and records nothing. A DELETE is allowed, with a
 * warning naming the VirtualServices still bound to the Gateway.
 */
public final class GatewayIndexValidator implements Validator<GatewayView> {

    private final GatewayIndex index;
    private final GatewayReview review;
    private final ServiceEntryIndexValidator.Learning learning;
    private final DecisionPolicy policy;

    public GatewayIndexValidator(GatewayIndex index, GatewayReview review,
            ServiceEntryIndexValidator.Learning learning) {
        this(index, review, learning, DecisionPolicy.AS_DECIDED);
    }

    /** @param policy what the answer will make of the decision: a Gateway the answer admits is recorded */
    public GatewayIndexValidator(GatewayIndex index, GatewayReview review,
            ServiceEntryIndexValidator.Learning learning, DecisionPolicy policy) {
        this.index = index;
        this.review = review;
        this.learning = learning;
        this.policy = policy;
    }

    @Override
    public Decision create(AdmissionRequestView request, GatewayView gateway) {
        return judge(request, gateway, null);
    }

    @Override
    public Decision update(AdmissionRequestView request, GatewayView old, GatewayView gateway) {
        return judge(request, gateway, old);
    }

    @Override
    public Decision delete(AdmissionRequestView request, GatewayView old) {
        if (request.name() == null || request.namespace() == null) {
            return Decision.ALLOW;
        }
        EntryKey key = new EntryKey(request.namespace(), request.name());
        return index.atomically(snapshot -> {
            Decision decision = review.reviewDelete(key, snapshot);
            if (learning == ServiceEntryIndexValidator.Learning.LEARN && !request.recordsNothing()) {
                index.removeGateway(key);
            }
            return decision;
        });
    }

    private Decision judge(AdmissionRequestView request, GatewayView gateway, GatewayView previous) {
        return index.atomically(snapshot -> {
            Decision decision = review.review(gateway, previous, snapshot);
            if (policy.apply(request, decision).allowed() && !request.recordsNothing()) {
                if (learning == ServiceEntryIndexValidator.Learning.LEARN) {
                    index.confirm(gateway);
                } else {
                    index.reserve(gateway);
                }
            }
            return decision;
        });
    }
}
