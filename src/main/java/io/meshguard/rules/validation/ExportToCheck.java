package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;
import java.util.HashSet;
import java.util.Set;

/**
 * istiod's {@code validateExportTo} for a ServiceEntry: each value {@code .}, {@code *}, {@code ~} or a namespace
 * (a DNS-1123 label); no duplicates ({@code .} counts as the entry's own namespace); {@code *} alone; {@code ~} alone.
 */
final class ExportToCheck implements ValidationCheck {

    static final String CODE = "InvalidExportTo";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < entry.exportTo().size(); i++) {
            String value = entry.exportTo().get(i);
            String key = value.equals(".") ? entry.namespace() : value;
            String field = "spec.exportTo[" + i + "]";
            if (seen.contains(key)) {
                problems.error(CODE, Problems.DUPLICATE, field, !key.equals(value)
                        ? "duplicate entries in exportTo: . and current namespace " + entry.namespace()
                        : "duplicate entries in exportTo for entry " + value);
            } else if (key.equals("~") || key.equals(".") || key.equals("*") || DnsNames.isLabel(key)) {
                seen.add(key);
            } else {
                problems.error(CODE, Problems.INVALID, field,
                        "only .,*, or a valid DNS 1123 label is allowed as exportTo entry");
            }
        }
        int count = entry.exportTo().size();
        if (seen.contains("*") && count > 1) {
            problems.error(CODE, Problems.INVALID, "spec.exportTo",
                    "cannot have both public (*) and non-public exportTo values for a resource");
        }
        if (seen.contains("~") && count > 1) {
            problems.error(CODE, Problems.INVALID, "spec.exportTo",
                    "cannot export service entry to no one (~) and someone");
        }
    }
}
