package io.meshguard.mesh;

/** The annotations meshguard reads from, and writes to, a ServiceEntry. */
public final class MeshguardAnnotations {

    /** Every meshguard annotation starts with this; the reader keeps no others. */
    public static final String PREFIX = "meshguard.io/";

    /** Written by the mutating webhook: the companions planned for the entry, e.g. {@code VirtualService/github-sni}. */
    public static final String COMPANIONS = PREFIX + "companions";

    /** {@code "false"} switches the SNI VirtualService off for one entry. */
    public static final String SNI_VIRTUAL_SERVICE = PREFIX + "sni-virtualservice";

    /** Asks for the egress routing pair: empty for the configured gateway, or {@code <namespace>/<service>}. */
    public static final String EGRESS_GATEWAY = PREFIX + "egress-gateway";

    /** The labels of the egress gateway's pods, {@code key=value[,key=value]}, when not the configured default. */
    public static final String EGRESS_GATEWAY_SELECTOR = PREFIX + "egress-gateway-selector";

    private MeshguardAnnotations() {
    }
}
