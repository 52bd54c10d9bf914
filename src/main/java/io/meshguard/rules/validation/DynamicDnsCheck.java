package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;
import io.meshguard.mesh.listener.IstioProtocol;
import java.util.Locale;

/**
 * Resolution DYNAMIC_DNS (Envoy's dynamic forward proxy): wildcard hosts only, at least one; no addresses, no
 * endpoints; HTTP, TLS, GRPC or HTTP2 ports only; location MESH_EXTERNAL, or MESH_INTERNAL when the entry does not
 * use a waypoint ({@code istio.io/use-waypoint} set to anything but {@code none}).
 */
final class DynamicDnsCheck implements ValidationCheck {

    static final String CODE = "InvalidResolution";
    static final String USE_WAYPOINT = "istio.io/use-waypoint";
    private static final String MODE = "DYNAMIC_DNS";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        if (entry.hosts().isEmpty()) {
            problems.error(HostsCheck.CODE, Problems.REQUIRED, "spec.hosts",
                    "at least one wildcard host must be provided for resolution type " + MODE);
        }
        for (int i = 0; i < entry.hosts().size(); i++) {
            if (!entry.hosts().get(i).startsWith("*")) {
                problems.error(HostsCheck.CODE, Problems.INVALID, "spec.hosts[" + i + "]",
                        "host must be wildcarded for resolution mode " + MODE);
            }
        }
        if (!entry.addresses().isEmpty()) {
            problems.error(AddressesCheck.CODE, Problems.FORBIDDEN, "spec.addresses", "addresses cannot be set for "
                    + "resolution type " + MODE + ". HTTP route domains will only be generated from the hosts field values");
        }
        if (!entry.endpoints().isEmpty()) {
            problems.error(EndpointsCheck.CODE, Problems.FORBIDDEN, "spec.endpoints", "endpoints cannot be set for "
                    + "resolution type " + MODE + ". Destination IP address determined from hosts field values");
        }
        for (int i = 0; i < entry.ports().size(); i++) {
            ServiceEntrySpec.Port port = entry.ports().get(i);
            if (port.absent()) {
                problems.error(PortsCheck.CODE, Problems.REQUIRED, "spec.ports[" + i + "]", "port cannot be nil");
                continue;
            }
            IstioProtocol protocol = IstioProtocol.parse(port.protocol());
            if (protocol != IstioProtocol.HTTP && protocol != IstioProtocol.TLS && protocol != IstioProtocol.GRPC
                    && protocol != IstioProtocol.HTTP2) {
                problems.error(PortsCheck.CODE, Problems.NOT_SUPPORTED, "spec.ports[" + i + "].protocol",
                        "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type " + MODE);
            }
        }
        String location = entry.location();
        boolean internal = location.equals("MESH_INTERNAL");
        if (!internal && !location.isEmpty() && !location.equals("MESH_EXTERNAL")) {
            problems.error(CODE, Problems.NOT_SUPPORTED, "spec.location",
                    "location must be MESH_EXTERNAL or MESH_INTERNAL for resolution type " + MODE);
        }
        if (internal && usesWaypoint(entry)) {
            problems.error(CODE, Problems.FORBIDDEN, "spec.location", "location MESH_INTERNAL with resolution type "
                    + MODE + " is not supported when using waypoints");
        }
    }

    private static boolean usesWaypoint(ServiceEntrySpec entry) {
        String waypoint = entry.labels().get(USE_WAYPOINT);
        return waypoint != null && !waypoint.isEmpty() && !waypoint.toLowerCase(Locale.ROOT).equals("none");
    }
}
