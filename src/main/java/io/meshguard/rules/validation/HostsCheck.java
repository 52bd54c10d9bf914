package io.meshguard.rules.validation;

import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntrySpec;

/**
 * istiod's host checks of ValidateServiceEntry: at least one host; never {@code *} alone; each a DNS name whose first
 * label may be a wildcard ({@code agent.ValidateWildcardDomain}); a partial wildcard such as {@code *foo.com} only
 * warns, and not at all with DYNAMIC_DNS ({@code agent.ValidatePartialWildCard}).
 */
final class HostsCheck implements ValidationCheck {

    static final String CODE = "InvalidHosts";

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        if (entry.hosts().isEmpty()) {
            problems.error(CODE, Problems.REQUIRED, "spec.hosts", "service entry must have at least one host");
        }
        for (int i = 0; i < entry.hosts().size(); i++) {
            String host = entry.hosts().get(i);
            String field = "spec.hosts[" + i + "]";
            if (host.equals("*")) {
                problems.error(CODE, Problems.INVALID, field, "invalid host " + host);
                continue;
            }
            String problem = DnsNames.wildcardDomainProblem(host);
            if (problem != null) {
                problems.error(CODE, Problems.INVALID, field, problem);
            }
            if (entry.resolutionValue() != Resolution.DYNAMIC_DNS) {
                String partial = DnsNames.partialWildcardProblem(host);
                if (partial != null) {
                    problems.warning(CODE, field, partial);
                }
            }
        }
    }
}
