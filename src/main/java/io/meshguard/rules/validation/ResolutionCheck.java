package io.meshguard.rules.validation;

import io.meshguard.mesh.ServiceEntrySpec;

/** The checks that depend on {@code spec.resolution}, one class per resolution; an unknown resolution is an error. */
final class ResolutionCheck implements ValidationCheck {

    private final ValidationCheck none = new NoneResolutionCheck();
    private final ValidationCheck staticEndpoints = new StaticResolutionCheck();
    private final ValidationCheck dns = new DnsResolutionCheck();
    private final ValidationCheck dynamicDns = new DynamicDnsCheck();

    @Override
    public void check(ServiceEntrySpec entry, Problems problems) {
        switch (entry.resolutionValue()) {
            case NONE -> none.check(entry, problems);
            case STATIC -> staticEndpoints.check(entry, problems);
            case DNS, DNS_ROUND_ROBIN -> dns.check(entry, problems);
            case DYNAMIC_DNS -> dynamicDns.check(entry, problems);
            case UNKNOWN -> problems.error(DynamicDnsCheck.CODE, Problems.NOT_SUPPORTED, "spec.resolution",
                    "unsupported resolution type " + entry.resolution());
        }
    }
}
