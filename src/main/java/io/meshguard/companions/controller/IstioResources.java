package io.meshguard.companions.controller;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/** The {@code networking.istio.io} kinds the controller writes, as fabric8 addresses them. */
final class IstioResources {

    static final Map<String, String> PLURALS = Map.of(
            "VirtualService", "virtualservices",
            "Gateway", "gateways",
            "DestinationRule", "destinationrules");

    private IstioResources() {
    }

    /** @param apiVersion {@code networking.istio.io/<version>} */
    static ResourceDefinitionContext context(String kind, String apiVersion) {
        String plural = PLURALS.get(kind);
        if (plural == null) {
            throw new IllegalArgumentException("meshguard writes no " + kind);
        }
        return new ResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io")
                .withVersion(apiVersion.substring(apiVersion.indexOf('/') + 1))
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
