package io.meshguard.admission;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One webhook's pipeline: the AdmissionReview is read once, then routed by kind to its {@link KindRoute}, which
 * validates (the validating webhook) or mutates (the mutating webhook). A kind without a route is allowed
 * unchanged, as is a kind whose route has nothing to do in this webhook.
 */
public final class AdmissionPipeline implements Webhook {

    /** Which of a route's steps this webhook runs. */
    public enum Phase {
        VALIDATE, MUTATE
    }

    private record GroupKind(String group, String kind) {
    }

    private final AdmissionReviewCodec codec;
    private final Phase phase;
    private final DecisionPolicy policy;
    private final Map<GroupKind, KindRoute<?>> routes = new HashMap<>();

    /**
     * @param policy what the answer will make of a decision ({@link PolicyWebhook} applies it): a route's validators
     *     stop at the first denial it lets stand
     */
    public AdmissionPipeline(AdmissionReviewCodec codec, Phase phase, List<KindRoute<?>> routes,
            DecisionPolicy policy) {
        this.codec = codec;
        this.phase = phase;
        this.policy = policy;
        for (KindRoute<?> route : routes) {
            if (this.routes.putIfAbsent(new GroupKind(route.group(), route.kind()), route) != null) {
                throw new IllegalArgumentException("two routes for " + route.group() + "/" + route.kind());
            }
        }
    }

    public static AdmissionPipeline validating(AdmissionReviewCodec codec, List<KindRoute<?>> routes) {
        return validating(codec, routes, DecisionPolicy.AS_DECIDED);
    }

    public static AdmissionPipeline validating(AdmissionReviewCodec codec, List<KindRoute<?>> routes,
            DecisionPolicy policy) {
        return new AdmissionPipeline(codec, Phase.VALIDATE, routes, policy);
    }

    public static AdmissionPipeline mutating(AdmissionReviewCodec codec, List<KindRoute<?>> routes) {
        return new AdmissionPipeline(codec, Phase.MUTATE, routes, DecisionPolicy.AS_DECIDED);
    }

    @Override
    public Outcome review(byte[] body) {
        return review(codec.read(body));
    }

    /** The answer for a review already read. */
    public Outcome review(AdmissionRequestView request) {
        KindRoute<?> route = routes.get(new GroupKind(request.group(), request.kind()));
        if (route == null) {
            return Outcome.allow(request);
        }
        return phase == Phase.VALIDATE ? route.validate(request, policy) : route.mutate(request);
    }
}
