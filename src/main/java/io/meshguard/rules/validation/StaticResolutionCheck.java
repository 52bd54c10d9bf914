package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;
import java.util.Set;

/**
 * Resolution STATIC: each endpoint as istiod's {@code validateWorkloadEntry} checks a ServiceEntry's endpoint. An
 * address is required unless a network is given (then a warning); it is an IP, or a unix socket
 * ({@code unix://} and an absolute path or an {@code @} abstract name, {@code ValidateUnixAddress}) that takes no
 * endpoint ports and needs exactly one service port; FQDNs are not allowed.
 */
final class StaticResolutionCheck implements ValidationCheck {

    static final String UNIX_PREFIX = "unix://";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        Set<String> servicePorts = EndpointsCheck.servicePortNames(entry);
        for (int i = 0; i < entry.endpoints().size(); i++) {
            ServiceEntrySpec.Endpoint endpoint = entry.endpoints().get(i);
            String path = "spec.endpoints[" + i + "]";
            if (endpoint.absent()) {
                problems.error(EndpointsCheck.CODE, Problems.REQUIRED, path, "endpoint cannot be nil");
                continue;
            }
            workloadEntry(endpoint, path, servicePorts, problems);
        }
    }

    private static void workloadEntry(ServiceEntrySpec.Endpoint endpoint, String path, Set<String> servicePorts,
            Problems problems) {
        String address = endpoint.address();
        String code = EndpointsCheck.CODE;
        if (address.isEmpty()) {
            if (endpoint.network().isEmpty()) {
                problems.error(code, Problems.REQUIRED, path + ".address", "address is required");
                return;
            }
            problems.warning(code, path + ".address", "address is unset with network "
                    + DnsNames.quote(endpoint.network()));
        }
        boolean unix = address.startsWith(UNIX_PREFIX);
        if (unix) {
            String socket = address.substring(UNIX_PREFIX.length());
            String problem = unixAddressProblem(socket);
            if (problem != null) {
                problems.error(code, Problems.INVALID, path + ".address", problem);
            }
            if (!endpoint.ports().isEmpty()) {
                problems.error(code, Problems.FORBIDDEN, path + ".ports",
                        "unix endpoint " + address + " must not include ports");
            }
        } else if (!address.isEmpty() && !IpLiterals.isAddress(address)) {
            problems.error(code, Problems.INVALID, path + ".address",
                    "endpoint address " + DnsNames.quote(address) + " is not a valid IP address");
        }
        EndpointsCheck.ports(endpoint, path, servicePorts, problems);
        EndpointsCheck.labels(endpoint, path, problems);
        if (unix && servicePorts.size() != 1) {
            problems.error(code, Problems.INVALID, "spec.ports", "exactly 1 service port required for unix endpoints");
        }
    }

    /** istiod's {@code ValidateUnixAddress}, with Go's {@code path.IsAbs}. */
    static String unixAddressProblem(String socket) {
        if (socket.isEmpty()) {
            return "unix address must not be empty";
        }
        if (socket.startsWith("@")) {
            return null;
        }
        if (!socket.startsWith("/") || socket.endsWith("/")) {
            return socket + " is not an absolute path to a file";
        }
        return null;
    }
}
