package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;
import java.util.Map;

/**
 * istiod's {@code ValidateAlphaWorkloadSelector} as ValidateServiceEntry uses it: selector labels may not have an
 * empty key or a wildcard (errors after which istiod reports nothing else); a selector without labels selects the
 * whole namespace (a warning). And a ServiceEntry has workloadSelector or endpoints, not both.
 */
final class WorkloadSelectorCheck implements ValidationCheck {

    static final String CODE = "InvalidWorkloadSelector";

    /** The selector's own errors; istiod returns these alone. */
    static void labelErrors(ServiceEntrySpec entry, Problems problems) {
        ServiceEntrySpec.WorkloadSelector selector = entry.workloadSelector();
        if (selector == null) {
            return;
        }
        for (Map.Entry<String, String> label : selector.labels().entrySet()) {
            String k = label.getKey();
            String v = label.getValue();
            String field = "spec.workloadSelector.labels[" + k + "]";
            if (k.isEmpty()) {
                problems.error(CODE, Problems.INVALID, field,
                        "empty key is not supported in selector: " + DnsNames.quote(k + "=" + v));
            }
            if (k.contains("*") || v.contains("*")) {
                problems.error(CODE, Problems.INVALID, field,
                        "wildcard is not supported in selector: " + DnsNames.quote(k + "=" + v));
            }
        }
    }

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        ServiceEntrySpec.WorkloadSelector selector = entry.workloadSelector();
        if (selector != null && selector.labels().isEmpty()) {
            problems.warning(CODE, "spec.workloadSelector.labels", "service entry: workload selector specified "
                    + "without labels, will be applied to all services in namespace");
        }
        if (selector != null && !entry.endpoints().isEmpty()) {
            problems.error(CODE, Problems.FORBIDDEN, "spec.workloadSelector",
                    "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
        }
    }
}
