package io.meshguard.rules.validation;

import java.util.Map;

/**
 * What the ServiceEntry analyzers read from the mesh config: whether proxies capture DNS and auto-allocate addresses
 * ({@code defaultConfig.proxyMetadata}: {@code ISTIO_META_DNS_CAPTURE} is {@code "true"} and
 * {@code ISTIO_META_DNS_AUTO_ALLOCATE} or {@code PILOT_ENABLE_IP_AUTOALLOCATE} is {@code "true"}, exactly as
 * istioctl's IST0134 analyzer compares them).
 */
public record AnalyzerSettings(boolean dnsAutoAllocate) {

    /** Istio's defaults: no DNS capture, so no auto-allocated address is used by a proxy. */
    public static final AnalyzerSettings DEFAULT = new AnalyzerSettings(false);

    public static AnalyzerSettings fromProxyMetadata(Map<String, String> proxyMetadata) {
        boolean capture = "true".equals(proxyMetadata.get("ISTIO_META_DNS_CAPTURE"));
        boolean allocate = "true".equals(proxyMetadata.get("ISTIO_META_DNS_AUTO_ALLOCATE"))
                || "true".equals(proxyMetadata.get("PILOT_ENABLE_IP_AUTOALLOCATE"));
        return new AnalyzerSettings(capture && allocate);
    }
}
