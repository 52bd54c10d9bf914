package io.meshguard.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/** The {@code networking.istio.io} kinds meshguard watches or writes, as fabric8 addresses them. */
public final class IstioKinds {

    public static final String GROUP = "networking.istio.io";

    private static final Map<String, String> PLURALS = Map.of(
            "ServiceEntry", "serviceentries",
            "VirtualService", "virtualservices",
            "Gateway", "gateways",
            "DestinationRule", "destinationrules");

    private IstioKinds() {
    }

    /** @param version {@code v1}, or a whole apiVersion such as {@code networking.istio.io/v1} */
    public static ResourceDefinitionContext context(String kind, String version) {
        String plural = PLURALS.get(kind);
        if (plural == null) {
            throw new IllegalArgumentException("meshguard handles no Istio kind " + kind);
        }
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(version.substring(version.indexOf('/') + 1))
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
