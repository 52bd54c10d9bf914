package io.meshguard.rules.validation;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.mesh.listener.IstioProtocol;

/**
 * Several hosts need a protocol that tells them apart: HTTP by authority, TLS by SNI. With any resolution but NONE
 * (where the hosts are not resolved), a port of another protocol, unset included, is an error.
 */
final class MultipleHostsCheck implements ValidationCheck {

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        if (entry.resolutionValue() == Resolution.NONE || entry.hosts().size() <= 1) {
            return;
        }
        for (int i = 0; i < entry.ports().size(); i++) {
            ServiceEntrySpec.Port port = entry.ports().get(i);
            if (port.absent()) {
                problems.error(PortsCheck.CODE, Problems.REQUIRED, "spec.ports[" + i + "]", "ports cannot be nil");
                continue;
            }
            IstioProtocol protocol = IstioProtocol.parse(port.protocol());
            if (!protocol.isHttp() && !protocol.isTls()) {
                problems.error(HostsCheck.CODE, Problems.INVALID, "spec.ports[" + i + "].protocol",
                        "multiple hosts provided with non-HTTP, non-TLS ports");
                break;
            }
        }
    }
}
