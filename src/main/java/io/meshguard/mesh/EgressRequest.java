package io.meshguard.mesh;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an entry's {@code meshguard.io/egress-gateway} annotation asks for: the gateway to route through, or,
 * when the annotation cannot be read, why not.
 *
 * @param gateway null exactly when {@code problem} is set
 */
public record EgressRequest(EgressGateway gateway, String problem) {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** Empty when the entry does not ask for the egress gateway. */
    public static Optional<EgressRequest> of(ServiceEntryFacts entry, EgressSettings settings) {
        String value = entry.annotations().get(MeshguardAnnotations.EGRESS_GATEWAY);
        if (value == null) {
            return Optional.empty();
        }
        EgressGateway base = settings.defaultGateway();
        String trimmed = value.trim();
        if (!trimmed.isEmpty()) {
            String[] parts = trimmed.split("/", -1);
            if (parts.length != 2 || !DNS_LABEL.matcher(parts[0]).matches() || !DNS_LABEL.matcher(parts[1]).matches()) {
                return Optional.of(problem("annotation " + MeshguardAnnotations.EGRESS_GATEWAY
                        + " must be empty (the configured gateway " + base.serviceHost()
                        + ") or <namespace>/<service>, got '" + value + "'"));
            }
            base = new EgressGateway(parts[0], parts[1] + "." + parts[0] + ".svc." + settings.clusterDomain(),
                    base.selector());
        }
        String selectorText = entry.annotations().get(MeshguardAnnotations.EGRESS_GATEWAY_SELECTOR);
        if (selectorText == null) {
            return Optional.of(new EgressRequest(base, null));
        }
        Optional<Map<String, String>> selector = EgressGateway.parseSelector(selectorText);
        if (selector.isEmpty()) {
            return Optional.of(problem("annotation " + MeshguardAnnotations.EGRESS_GATEWAY_SELECTOR
                    + " must be key=value[,key=value] with Kubernetes label keys and values, got '"
                    + selectorText + "'"));
        }
        return Optional.of(new EgressRequest(
                new EgressGateway(base.namespace(), base.serviceHost(), selector.get()), null));
    }

    private static EgressRequest problem(String problem) {
        return new EgressRequest(null, problem);
    }

    public boolean readable() {
        return problem == null;
    }
}
