package io.meshguard.mesh;

import java.util.List;

/**
 * The parts of Istio's MeshConfig that meshguard reads: those that change how listeners are built, and those the
 * ServiceEntry analyzers read.
 *
 * @param defaultServiceExportTo used for entries with no {@code exportTo}; empty means {@code *}
 * @param dnsCapture {@code ISTIO_META_DNS_CAPTURE}: proxies then bind auto-allocated {@code status.addresses}
 * @param analyzers what istioctl's ServiceEntry analyzers read of {@code defaultConfig.proxyMetadata}
 */
public record MeshConfig(List<String> defaultServiceExportTo, boolean dnsCapture, AnalyzerSettings analyzers) {

    public static final MeshConfig DEFAULT = new MeshConfig(List.of(), false);

    public MeshConfig {
        defaultServiceExportTo = List.copyOf(defaultServiceExportTo);
        if (analyzers == null) {
            throw new IllegalArgumentException("a mesh config has analyzer settings (AnalyzerSettings.DEFAULT)");
        }
    }

    /** With the analyzers' defaults. */
    public MeshConfig(List<String> defaultServiceExportTo, boolean dnsCapture) {
        this(defaultServiceExportTo, dnsCapture, AnalyzerSettings.DEFAULT);
    }
}
