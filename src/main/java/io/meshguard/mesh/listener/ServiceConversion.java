package io.meshguard.mesh.listener;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code convertServices} (pilot/pkg/serviceregistry/serviceentry/conversion.go): one service per (host, address).
 * An address that is an IP is the service's address ({@code IsValidIPAddress}); a CIDR that covers one host
 * ({@code /32}, {@code /128}) becomes that IP; any other CIDR stays a CIDR; text that is neither gives no service.
 * An entry without addresses gives one service per host on {@code 0.0.0.0}, carrying the address allocated for
 * that host in {@code status.addresses} when {@code ShouldV2AutoAllocateIPFromConfig} allows it.
 */
public final class ServiceConversion {

    private ServiceConversion() {
    }

    public static List<MeshService> convertServices(ServiceEntryFacts entry) {
        List<MeshService> out = new ArrayList<>(entry.hosts().size() * Math.max(1, entry.addresses().size()));
        List<Address> addresses = new ArrayList<>(entry.addresses().size());
        for (String written : entry.addresses()) {
            NetIp.Prefix ip = NetIp.parseAddr(written);
            if (ip != null) {
                addresses.add(new Address(ip.addr(), null));
                continue;
            }
            NetIp.Prefix cidr = NetIp.parsePrefix(written);
            if (cidr != null) {
                addresses.add(cidr.isHostWide() ? new Address(cidr.addr(), null) : new Address(written, cidr));
            }
        }
        boolean autoAllocate = shouldV2AutoAllocateIp(entry);
        for (String host : entry.hosts()) {
            if (!entry.addresses().isEmpty()) {
                for (Address address : addresses) {
                    out.add(new MeshService(entry, host, address.text(), address.cidr(), null));
                }
            } else {
                out.add(new MeshService(entry, host, MeshService.UNSPECIFIED_IP, null,
                        autoAllocate ? allocatedFor(entry, host) : null));
            }
        }
        return out;
    }

    private record Address(String text, NetIp.Prefix cidr) {
    }

    /** {@code shouldV2AutoAllocateIPFromPieces}: not for resolution NONE, not when opted out, not with addresses. */
    static boolean shouldV2AutoAllocateIp(ServiceEntryFacts entry) {
        return entry.resolution() != Resolution.NONE && !entry.autoAllocateOptOut() && entry.addresses().isEmpty();
    }

    /** The last IPv4 address allocated for the host in {@code status.addresses}, else the last IPv6 one. */
    private static String allocatedFor(ServiceEntryFacts entry, String host) {
        String v4 = null;
        String v6 = null;
        List<String> values = entry.statusAddresses();
        List<String> hosts = entry.statusHosts();
        for (int i = 0; i < values.size() && i < hosts.size(); i++) {
            if (!host.equals(hosts.get(i))) {
                continue;
            }
            NetIp.Prefix parsed = NetIp.parseAddr(values.get(i));
            if (parsed == null) {
                continue;
            }
            if (parsed.isIpv4()) {
                v4 = parsed.addr();
            } else {
                v6 = parsed.addr();
            }
        }
        return v4 != null ? v4 : v6;
    }
}
