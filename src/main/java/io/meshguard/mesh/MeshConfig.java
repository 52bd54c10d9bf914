package io.meshguard.mesh;

import java.util.List;

/**
 * The parts of Istio's MeshConfig that change how listeners are built.
 *
 * @param defaultServiceExportTo used for entries with no {@code exportTo}; empty means {@code *}
 * @param dnsCapture {@code ISTIO_META_DNS_CAPTURE}: proxies then bind auto-allocated {@code status.addresses}
 */
public record MeshConfig(List<String> defaultServiceExportTo, boolean dnsCapture) {

    public static final MeshConfig DEFAULT = new MeshConfig(List.of(), false);

    public MeshConfig {
        defaultServiceExportTo = List.copyOf(defaultServiceExportTo);
    }
}
