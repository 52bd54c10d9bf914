package io.meshguard.rules.validation;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntrySpec;

/**
 * istiod's address checks of ValidateServiceEntry: each address an IP or a CIDR block as Go's {@code net/netip}
 * reads them ({@code agent.ValidateIPSubnet}); CIDR blocks only with resolution NONE or STATIC.
 */
final class AddressesCheck implements ValidationCheck {

    static final String CODE = "InvalidAddresses";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        int firstCidr = -1;
        for (int i = 0; i < entry.addresses().size(); i++) {
            String address = entry.addresses().get(i);
            if (firstCidr < 0 && address.contains("/")) {
                firstCidr = i;
            }
            String field = "spec.addresses[" + i + "]";
            if (address.chars().filter(c -> c == '/').count() == 1) {
                if (!IpLiterals.isPrefix(address)) {
                    problems.error(CODE, Problems.INVALID, field, address + " is not a valid CIDR block");
                }
            } else if (!IpLiterals.isAddress(address)) {
                problems.error(CODE, Problems.INVALID, field, address + " is not a valid IP");
            }
        }
        Resolution resolution = entry.resolutionValue();
        if (firstCidr >= 0 && resolution != Resolution.NONE && resolution != Resolution.STATIC) {
            problems.error(CODE, Problems.FORBIDDEN, "spec.addresses[" + firstCidr + "]",
                    "CIDR addresses are allowed only for NONE/STATIC resolution types");
        }
    }
}
