package io.meshguard.rules.validation;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.mesh.listener.IstioProtocol;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * istiod's port checks of ValidateServiceEntry: no null port; names unique, numbers unique; a name that is a DNS-1123
 * label ({@code ValidatePortName}: so a name is required); a protocol istiod knows, or none ({@code ValidateProtocol});
 * number and targetPort in 1..65535 ({@code agent.ValidatePort}). And a warning for a TCP or unset-protocol port on
 * an entry without addresses, when istiod will not allocate one
 * ({@code serviceentry.ShouldV2AutoAllocateIPFromConfig}: never for resolution NONE, nor when the entry opts out).
 */
final class PortsCheck implements ValidationCheck {

    static final String CODE = "InvalidPorts";
    /** The label an entry opts out of istiod's address allocation with, by setting it to {@code false}. */
    static final String AUTO_ALLOCATE_LABEL = "networking.istio.io/enable-autoallocate-ip";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        boolean autoAllocation = autoAllocation(entry);
        Set<String> names = new HashSet<>();
        Set<Long> numbers = new HashSet<>();
        for (int i = 0; i < entry.ports().size(); i++) {
            ServiceEntrySpec.Port port = entry.ports().get(i);
            String path = "spec.ports[" + i + "]";
            if (port.absent()) {
                problems.error(CODE, Problems.REQUIRED, path, "service entry port may not be null");
                continue;
            }
            if (!names.add(port.name())) {
                problems.error(CODE, Problems.DUPLICATE, path + ".name",
                        "service entry port name " + DnsNames.quote(port.name()) + " already defined");
            }
            if (!numbers.add(port.number())) {
                problems.error(CODE, Problems.DUPLICATE, path + ".number",
                        "service entry port " + port.number() + " already defined");
            }
            if (port.targetPort() != 0) {
                portRange(port.targetPort(), path + ".targetPort", problems);
            }
            if (entry.addresses().isEmpty() && !autoAllocation
                    && (port.protocol().isEmpty() || port.protocol().equals("TCP"))) {
                problems.warning(CODE, path + ".protocol", "addresses are required for ports serving TCP (or unset) "
                        + "protocol when IP Autoallocation is not enabled");
            }
            if (!DnsNames.isLabel(port.name())) {
                problems.error(CODE, Problems.INVALID, path + ".name", "invalid port name: " + port.name());
            }
            if (!port.protocol().isEmpty() && IstioProtocol.parse(port.protocol()) == IstioProtocol.UNSUPPORTED) {
                problems.error(CODE, Problems.NOT_SUPPORTED, path + ".protocol",
                        "unsupported protocol: " + port.protocol());
            }
            portRange(port.number(), path + ".number", problems);
        }
    }

    /** {@code agent.ValidatePort}. */
    static void portRange(long number, String field, Problems problems) {
        if (number < 1 || number > 65535) {
            problems.error(CODE, Problems.INVALID, field, "port number " + number + " must be in the range 1..65535");
        }
    }

    /** Whether istiod allocates this entry an address (its {@code PILOT_ENABLE_IP_AUTOALLOCATE} default, on). */
    static boolean autoAllocation(ServiceEntrySpec entry) {
        if (entry.resolutionValue() == Resolution.NONE) {
            return false;
        }
        String optIn = entry.labels().get(AUTO_ALLOCATE_LABEL);
        if (optIn != null && optIn.toLowerCase(Locale.ROOT).equals("false")) {
            return false;
        }
        return entry.addresses().isEmpty();
    }
}
