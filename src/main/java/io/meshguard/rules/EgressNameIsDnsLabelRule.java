package io.meshguard.rules;

import io.meshguard.mesh.EgressRequest;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The generated Gateway is named {@code <entry>-egress} and referenced from the VirtualService by that name;
 * Istio reads a dot in a gateway reference as a namespace separator, so the name must be a DNS label.
 */
public final class EgressNameIsDnsLabelRule extends EgressRule {

    public static final String CODE = "EgressNameNotDnsLabel";
    public static final String SUFFIX = "-egress";

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int MAX_LABEL = 63;

    public EgressNameIsDnsLabelRule(EgressSettings settings) {
        super(settings);
    }

    public static boolean isDnsLabel(String name) {
        return name.length() <= MAX_LABEL && DNS_LABEL.matcher(name).matches();
    }

    @Override
    protected List<Finding> check(ServiceEntryFacts entry, EgressRequest request, MeshConfig mesh) {
        String name = entry.name() + SUFFIX;
        if (isDnsLabel(entry.key().nameShape() + SUFFIX)) { // a name yet to be generated: as it will look
            return List.of();
        }
        return List.of(deny(CODE, "metadata.name", 0, "ServiceEntry " + entry.key()
                + " would get a Gateway named " + name + ", which is not a DNS label (at most " + MAX_LABEL
                + " characters of a-z, 0-9 and '-'; it has " + name.length() + "): Istio cannot reference such a "
                + "Gateway from a VirtualService. Give the entry a name of at most "
                + (MAX_LABEL - SUFFIX.length()) + " characters without dots.",
                "the generated Gateway name " + name + " is not a DNS label"));
    }
}
