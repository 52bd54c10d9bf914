package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;
import java.util.Map;
import java.util.Set;

/**
 * The parts of istiod's endpoint checks that every resolution shares: endpoint port names and numbers
 * ({@code ValidatePortName}, {@code agent.ValidatePort}, and that the name is one of the entry's ports) and endpoint
 * labels ({@code labels.Instance.Validate}).
 */
final class EndpointsCheck {

    static final String CODE = "InvalidEndpoints";

    private EndpointsCheck() {
    }

    static void ports(ServiceEntrySpec.Endpoint endpoint, String path, Set<String> servicePorts, Problems problems) {
        for (Map.Entry<String, Long> port : endpoint.ports().entrySet()) {
            String field = path + ".ports[" + port.getKey() + "]";
            if (!servicePorts.contains(port.getKey())) {
                problems.error(CODE, Problems.NOT_SUPPORTED, field,
                        "endpoint port " + port.getValue() + " is not defined by the service entry");
            }
            if (!DnsNames.isLabel(port.getKey())) {
                problems.error(CODE, Problems.INVALID, field, "invalid port name: " + port.getKey());
            }
            if (port.getValue() < 1 || port.getValue() > 65535) {
                problems.error(CODE, Problems.INVALID, field,
                        "port number " + port.getValue() + " must be in the range 1..65535");
            }
        }
    }

    static void labels(ServiceEntrySpec.Endpoint endpoint, String path, Problems problems) {
        for (Map.Entry<String, String> problem : LabelSyntax.problems(endpoint.labels())) {
            problems.error(CODE, Problems.INVALID, path + ".labels[" + problem.getKey() + "]", problem.getValue());
        }
    }

    /** The names of the entry's ports, the empty name included, as istiod collects them for endpoint ports. */
    static Set<String> servicePortNames(ServiceEntrySpec entry) {
        Set<String> names = new java.util.HashSet<>();
        for (ServiceEntrySpec.Port port : entry.ports()) {
            if (!port.absent()) {
                names.add(port.name());
            }
        }
        return names;
    }
}
