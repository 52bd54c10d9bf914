package io.meshguard.rules.validation;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntrySpec;

/**
 * {@code spec.location} is MESH_EXTERNAL or MESH_INTERNAL (or unset): the ServiceEntry CRD's schema enumerates them,
 * so the API server refuses anything else before any webhook runs. (For DYNAMIC_DNS istiod says so itself.)
 */
final class LocationCheck implements ValidationCheck {

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        String location = entry.location();
        if (entry.resolutionValue() != Resolution.DYNAMIC_DNS && !location.isEmpty()
                && !location.equals("MESH_EXTERNAL") && !location.equals("MESH_INTERNAL")) {
            problems.error(DynamicDnsCheck.CODE, Problems.NOT_SUPPORTED, "spec.location",
                    "unsupported location " + location + ": must be MESH_EXTERNAL or MESH_INTERNAL");
        }
    }
}
