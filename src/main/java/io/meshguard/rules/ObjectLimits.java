package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * What one ServiceEntry may hold for meshguard to review it in bounded time: every (host, address) is a service
 * of its own in istiod, and every port of every service a listener to build. Far above what real entries hold;
 * an entry past a limit is refused, naming the limit, and not reviewed further.
 */
public final class ObjectLimits implements ServiceEntryRule {

    public static final String CODE = "ObjectTooLarge";
    public static final int HOSTS = 256;
    public static final int PORTS = 256;
    public static final int ADDRESSES = 256;
    public static final int EXPORT_TO = 256;
    /** hosts x addresses: the services istiod makes of the entry. */
    public static final int SERVICES = 4096;
    /**
     * services x ports: the listener bindings istiod builds for the entry, each a filter chain to place. At the other
     * limits an entry could make a million (4,096 services x 256 ports): a review of it took 1.6 to 2 s under the index
     * lock and allocated 950 MiB. 16,384 leaves 64 ports to 256 hosts, or 4 to 4,096 services.
     */
    public static final int SERVICE_PORTS = 16_384;

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        List<Finding> findings = new ArrayList<>(0);
        limit(findings, "spec.hosts", entry.hosts().size(), HOSTS);
        limit(findings, "spec.ports", entry.ports().size(), PORTS);
        limit(findings, "spec.addresses", entry.addresses().size(), ADDRESSES);
        limit(findings, "spec.exportTo", entry.exportTo().size(), EXPORT_TO);
        long services = services(entry);
        if (findings.isEmpty() && services > SERVICES) {
            String message = "ServiceEntry " + Words.value(entry.key().toString()) + " makes " + services
                    + " services (hosts x addresses); meshguard reviews at most " + SERVICES + ".";
            findings.add(deny("spec.hosts", message));
        }
        long servicePorts = services * entry.ports().size();
        if (findings.isEmpty() && servicePorts > SERVICE_PORTS) {
            String message = "ServiceEntry " + Words.value(entry.key().toString()) + " makes " + servicePorts
                    + " service ports (hosts x addresses x ports); meshguard reviews at most " + SERVICE_PORTS
                    + ". Split the entry.";
            findings.add(deny("spec.ports", message));
        }
        return findings;
    }

    private static long services(ServiceEntryFacts entry) {
        return (long) entry.hosts().size() * Math.max(1, entry.addresses().size());
    }

    /** True when the entry is within every limit, so the other rules may review it. */
    public static boolean within(ServiceEntryFacts entry) {
        return entry.hosts().size() <= HOSTS && entry.ports().size() <= PORTS
                && entry.addresses().size() <= ADDRESSES && entry.exportTo().size() <= EXPORT_TO
                && services(entry) <= SERVICES && services(entry) * entry.ports().size() <= SERVICE_PORTS;
    }

    private static void limit(List<Finding> findings, String field, int count, int max) {
        if (count > max) {
            findings.add(deny(field, field + " lists " + count + " items; meshguard reviews entries with at most "
                    + max + ". Split the entry."));
        }
    }

    private static Finding deny(String field, String message) {
        return new Finding(CODE, Severity.DENY, field, message, Words.warning(message), null, 0,
                List.of(new Cause(CODE, field, message)));
    }
}
