package io.meshguard.admission;

import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Decision;
import io.meshguard.rules.gateway.VirtualServiceReview;

/**
 * Warns about a VirtualService's routes that go nowhere (never denies). Standalone, an allowed VirtualService is
 * recorded in the {@link GatewayIndex} and a DELETE forgets it; in a cluster the informer records it once it is
 * persisted (a VirtualService is never denied, so nothing needs holding in the meantime). A dry run records
 * nothing.
 */
public final class VirtualServiceBindingValidator implements Validator<VirtualServiceView> {

    private final GatewayIndex index;
    private final VirtualServiceReview review;
    private final ServiceEntryIndexValidator.Learning learning;

    public VirtualServiceBindingValidator(GatewayIndex index, VirtualServiceReview review,
            ServiceEntryIndexValidator.Learning learning) {
        this.index = index;
        this.review = review;
        this.learning = learning;
    }

    @Override
    public Decision create(AdmissionRequestView request, VirtualServiceView vs) {
        return index.atomically(snapshot -> {
            Decision decision = review.review(vs, snapshot);
            if (learning == ServiceEntryIndexValidator.Learning.LEARN && !request.recordsNothing()) {
                index.putVirtualService(vs);
            }
            return decision;
        });
    }

    @Override
    public Decision delete(AdmissionRequestView request, VirtualServiceView old) {
        if (learning == ServiceEntryIndexValidator.Learning.LEARN && !request.recordsNothing() && request.name() != null
                && request.namespace() != null) {
            index.removeVirtualService(new EntryKey(request.namespace(), request.name()));
        }
        return Decision.ALLOW;
    }
}
