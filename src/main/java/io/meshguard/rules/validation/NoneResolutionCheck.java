package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;

/** Resolution NONE (also when unset): no endpoints; a workloadSelector is pointless (a warning). */
final class NoneResolutionCheck implements ValidationCheck {

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        if (!entry.endpoints().isEmpty()) {
            problems.error(EndpointsCheck.CODE, Problems.FORBIDDEN, "spec.endpoints",
                    "no endpoints should be provided for resolution type none");
        }
        if (entry.workloadSelector() != null) {
            problems.warning(WorkloadSelectorCheck.CODE, "spec.workloadSelector",
                    "workloadSelector should not be set when resolution mode is NONE");
        }
    }
}
