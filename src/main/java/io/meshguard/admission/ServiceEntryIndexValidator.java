package io.meshguard.admission;

import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;

/**
 * Runs the ServiceEntry rules over an index snapshot and records what it allowed, in one atomic step, so that the
 * next review sees it and two colliding entries reviewed at once are not both allowed. It has a side effect, so it
 * is the last validator of its route. A dry run is judged the same and records nothing, as is a CREATE the API server
 * has yet to name ({@link AdmissionRequestView#recordsNothing}): the validating webhook sees every stored object under
 * its final name, so such a review is never one whose object gets stored.
 */
public final class ServiceEntryIndexValidator implements Validator<ServiceEntryFacts> {

    /** What an allowed entry does to the index before the cluster confirms it. */
    public enum Learning {
        /** In a cluster: hold the entry for a TTL until the informer reports it. */
        RESERVE,
        /** Standalone: the reviews are the only source of truth; CREATE/UPDATE add, DELETE removes. */
        LEARN
    }

    private final ServiceEntryIndex index;
    private final ServiceEntryReview review;
    private final Learning learning;
    private final DecisionPolicy policy;

    public ServiceEntryIndexValidator(ServiceEntryIndex index, ServiceEntryReview review, Learning learning) {
        this(index, review, learning, DecisionPolicy.AS_DECIDED);
    }

    /** @param policy what the answer will make of the decision: an entry the answer admits is recorded */
    public ServiceEntryIndexValidator(ServiceEntryIndex index, ServiceEntryReview review, Learning learning,
            DecisionPolicy policy) {
        this.index = index;
        this.review = review;
        this.learning = learning;
        this.policy = policy;
    }

    @Override
    public Decision create(AdmissionRequestView request, ServiceEntryFacts entry) {
        return judge(request, entry, null);
    }

    @Override
    public Decision update(AdmissionRequestView request, ServiceEntryFacts old, ServiceEntryFacts entry) {
        return judge(request, entry, old);
    }

    @Override
    public Decision delete(AdmissionRequestView request, ServiceEntryFacts old) {
        if (learning == Learning.LEARN && !request.recordsNothing() && request.name() != null
                && request.namespace() != null) {
            index.remove(new EntryKey(request.namespace(), request.name()));
        }
        return Decision.ALLOW;
    }

    private Decision judge(AdmissionRequestView request, ServiceEntryFacts entry, ServiceEntryFacts previous) {
        ServiceEntryIndex.Recording recording = request.recordsNothing() ? ServiceEntryIndex.Recording.NOTHING
                : learning == Learning.LEARN ? ServiceEntryIndex.Recording.LEARN : ServiceEntryIndex.Recording.RESERVE;
        return index.admit(entry, snapshot -> review.review(entry, previous, snapshot),
                decision -> policy.apply(request, decision).allowed(), recording);
    }
}
