package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;

/**
 * istiod's {@code validateMetadata}, run before every kind's own validation: {@code istio.io/dry-run} is only for
 * AuthorizationPolicy, and istiod's internal annotations may not be set by users. istiod stops at the first of
 * these and reports nothing else about the object.
 */
final class ReservedAnnotations implements ValidationCheck {

    static final String CODE = "InvalidMetadata";
    static final String DRY_RUN = "istio.io/dry-run";
    static final String ALWAYS_REJECT = "internal.istio.io/webhook-always-reject";
    static final String PARENT_NAMESPACE = "internal.istio.io/parent-namespace";
    static final String PARENTS = "internal.istio.io/parents";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        if (entry.annotations().containsKey(DRY_RUN)) {
            problems.error(CODE, Problems.FORBIDDEN, field(DRY_RUN), entry.key() + " has unsupported annotation "
                    + DRY_RUN + ", please remove the annotation");
        } else if (entry.annotations().containsKey(ALWAYS_REJECT)) {
            problems.error(CODE, Problems.FORBIDDEN, field(ALWAYS_REJECT),
                    DnsNames.quote(ALWAYS_REJECT) + " annotation found, rejecting");
        } else if (entry.annotations().containsKey(PARENT_NAMESPACE)) {
            problems.error(CODE, Problems.FORBIDDEN, field(PARENT_NAMESPACE),
                    DnsNames.quote(PARENT_NAMESPACE) + " annotation found, this may not be set by users");
        } else if (entry.annotations().containsKey(PARENTS)) {
            problems.error(CODE, Problems.FORBIDDEN, field(PARENTS),
                    DnsNames.quote(PARENTS) + " annotation found, this may not be set by users");
        }
    }

    private static String field(String annotation) {
        return "metadata.annotations[" + annotation + "]";
    }
}
