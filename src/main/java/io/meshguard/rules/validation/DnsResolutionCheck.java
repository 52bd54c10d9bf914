package io.meshguard.rules.validation;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.mesh.listener.IstioProtocol;
import java.util.Set;

/**
 * Resolutions DNS and DNS_ROUND_ROBIN. Without endpoints the hosts are what is resolved, so each must be a plain
 * FQDN (istiod reports the first that is not). DNS_ROUND_ROBIN takes at most one endpoint. Each endpoint address is
 * an IP or an FQDN (so no unix socket). With addresses, more than one host beside a TCP-family port warns: plain
 * TCP cannot tell the hosts apart.
 */
final class DnsResolutionCheck implements ValidationCheck {

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        Resolution resolution = entry.resolutionValue();
        if (entry.endpoints().isEmpty()) {
            for (int i = 0; i < entry.hosts().size(); i++) {
                String problem = DnsNames.fqdnProblem(entry.hosts().get(i));
                if (problem != null) {
                    problems.error(HostsCheck.CODE, Problems.INVALID, "spec.hosts[" + i + "]", "hosts must be FQDN or "
                            + "contain only prefix wildcards if no endpoints are provided for resolution mode "
                            + resolution + ", " + problem);
                    break;
                }
            }
        }
        if (resolution == Resolution.DNS_ROUND_ROBIN && entry.endpoints().size() > 1) {
            problems.error(EndpointsCheck.CODE, Problems.INVALID, "spec.endpoints",
                    "there must only be 0 or 1 endpoint for resolution mode " + resolution);
        }
        Set<String> servicePorts = EndpointsCheck.servicePortNames(entry);
        for (int i = 0; i < entry.endpoints().size(); i++) {
            ServiceEntrySpec.Endpoint endpoint = entry.endpoints().get(i);
            String path = "spec.endpoints[" + i + "]";
            if (endpoint.absent()) {
                problems.error(EndpointsCheck.CODE, Problems.REQUIRED, path, "endpoint cannot be nil");
                continue;
            }
            String address = endpoint.address();
            if (!IpLiterals.isAddress(address) && DnsNames.fqdnProblem(address) != null) {
                problems.error(EndpointsCheck.CODE, Problems.INVALID, path + ".address",
                        "endpoint address " + DnsNames.quote(address) + " is not a valid FQDN or an IP address");
            }
            EndpointsCheck.labels(endpoint, path, problems);
            EndpointsCheck.ports(endpoint, path, servicePorts, problems);
        }
        if (!entry.addresses().isEmpty()) {
            for (int i = 0; i < entry.ports().size(); i++) {
                ServiceEntrySpec.Port port = entry.ports().get(i);
                if (port.absent()) {
                    problems.error(PortsCheck.CODE, Problems.REQUIRED, "spec.ports[" + i + "]", "ports cannot be nil");
                    continue;
                }
                if (IstioProtocol.parse(port.protocol()).isTcp()) {
                    if (entry.hosts().size() > 1) {
                        problems.warning(HostsCheck.CODE, "spec.hosts", "service entry can not have more than one "
                                + "host specified simultaneously with address and tcp port");
                    }
                    break;
                }
            }
        }
    }
}
