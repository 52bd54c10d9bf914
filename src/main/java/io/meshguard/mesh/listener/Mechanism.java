package io.meshguard.mesh.listener;

/** The istiod (or Envoy) mechanism behind a drop, named after the function that makes it. */
public enum Mechanism {
    /** {@code mergeTCPFilterChains} / {@code conflictsWith}: a later chain matching the same traffic is dropped. */
    CHAIN_CONFLICT("mergeTCPFilterChains"),
    /** {@code isConflictWithWellKnownPort}: MongoDB/MySQL beside another protocol on one key, later one skipped. */
    WELL_KNOWN_PORT("isConflictWithWellKnownPort"),
    /** {@code buildSidecarOutboundListener}: an HTTP_PROXY port replaces the listener built so far. */
    HTTP_PROXY("buildSidecarOutboundListener(HTTP_PROXY)"),
    /** Envoy's filter chain match: a destination prefix of length 0 wins over the default chain. */
    PREFIX_SHADOW("Envoy filter_chain_match"),
    /** {@code selectServices}: one namespace's declaration per hostname. */
    HOST_SELECTION("selectServices");

    private final String istioFunction;

    Mechanism(String istioFunction) {
        this.istioFunction = istioFunction;
    }

    public String istioFunction() {
        return istioFunction;
    }
}
