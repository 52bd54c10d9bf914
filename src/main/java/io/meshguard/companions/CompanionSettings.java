package io.meshguard.companions;

import io.meshguard.mesh.EgressSettings;

/**
 * What the planner generates, cluster-wide.
 *
 * @param apiVersion the {@code networking.istio.io} version of the generated objects
 * @param sniEnabled false switches the SNI VirtualService off for every entry
 */
public record CompanionSettings(String apiVersion, boolean sniEnabled, EgressSettings egress) {

    public static final CompanionSettings DEFAULT =
            new CompanionSettings("networking.istio.io/v1", true, EgressSettings.DEFAULT);
}
