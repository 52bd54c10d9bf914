package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.List;

/**
 * istiod's {@code model.Service} for one (host, address) of a ServiceEntry, as {@code convertServices} makes it.
 *
 * @param address {@code DefaultAddress}: {@code 0.0.0.0} when the entry has no addresses, else a plain IP (as
 *     istiod prints it) or a CIDR as written
 * @param cidr the parsed CIDR when {@code address} is one, else null
 * @param autoAllocated {@code AutoAllocatedIPv4Address} (or the IPv6 one when there is no IPv4), or null
 */
public record MeshService(ServiceEntryFacts entry, String hostname, String address, NetIp.Prefix cidr,
        String autoAllocated) {

    public static final String UNSPECIFIED_IP = "0.0.0.0";

    public List<ServicePort> ports() {
        return entry.ports();
    }

    public String namespace() {
        return entry.namespace();
    }

    public boolean isWildcardAddress() {
        return UNSPECIFIED_IP.equals(address);
    }

    /** {@code GetAddressForProxy}: the auto-allocated address for a proxy that consumes them, else the default. */
    public String addressForProxy(ProxyView proxy) {
        if (proxy.consumesAutoAllocatedIps() && isWildcardAddress() && autoAllocated != null) {
            return autoAllocated;
        }
        return address;
    }

    @Override
    public String toString() {
        return entry.key() + "[" + hostname + "@" + address + "]";
    }
}
