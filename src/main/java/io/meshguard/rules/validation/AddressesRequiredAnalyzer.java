package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;

/**
 * istioctl's analyzer IST0134 (ServiceEntryAddressesRequired), a warning per port: a TCP or unset-protocol port on an
 * entry with no {@code spec.addresses} and no {@code status.addresses}, in a mesh whose proxies do not capture DNS
 * with auto-allocation. Such a port is served from the wildcard listener {@code 0.0.0.0_<port>}, which every other
 * such entry on that port shares: seed 001's silent drop.
 */
final class AddressesRequiredAnalyzer {

    static final String CODE = "IST0134";

    private AddressesRequiredAnalyzer() {
    }

    static void check(ServiceEntrySpec entry, AnalyzerSettings settings, Problems problems) {
        if (!entry.addresses().isEmpty() || !entry.statusAddresses().isEmpty() || settings.dnsAutoAllocate()) {
            return;
        }
        for (int i = 0; i < entry.ports().size(); i++) {
            ServiceEntrySpec.Port port = entry.ports().get(i);
            if (!port.absent() && (port.protocol().isEmpty() || port.protocol().equalsIgnoreCase("TCP"))) {
                problems.warning(CODE, "spec.ports[" + i + "]", "IST0134 ServiceEntryAddressesRequired: "
                        + "ServiceEntry addresses are required for this protocol (port " + port.number() + "/"
                        + (port.protocol().isEmpty() ? "unset" : port.protocol()) + "): without spec.addresses it "
                        + "shares listener 0.0.0.0_" + port.number() + " with every such entry");
            }
        }
    }
}
