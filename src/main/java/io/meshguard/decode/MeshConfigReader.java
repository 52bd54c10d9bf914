package io.meshguard.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshguard.mesh.AnalyzerSettings;
import io.meshguard.mesh.MeshConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of Istio's MeshConfig that meshguard uses (the YAML under key {@code mesh} of ConfigMap istio):
 * those the listener build reads, and the proxies' metadata the ServiceEntry analyzers read.
 */
public final class MeshConfigReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MeshConfigReader() {
    }

    public static MeshConfig fromYaml(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            return MeshConfig.DEFAULT;
        }
        try {
            return fromTree(YAML.readTree(yaml));
        } catch (IOException e) {
            throw new MalformedObjectException("the mesh config is not valid YAML: " + e.getMessage());
        }
    }

    public static MeshConfig fromTree(JsonNode mesh) {
        if (mesh == null || !mesh.isObject()) {
            return MeshConfig.DEFAULT;
        }
        List<String> exportTo = new ArrayList<>();
        mesh.path("defaultServiceExportTo").forEach(n -> exportTo.add(n.asText()));
        JsonNode metadata = mesh.path("defaultConfig").path("proxyMetadata");
        String capture = metadata.path("ISTIO_META_DNS_CAPTURE").asText("");
        Map<String, String> proxyMetadata = new HashMap<>();
        metadata.fields().forEachRemaining(f -> proxyMetadata.put(f.getKey(), f.getValue().asText()));
        return new MeshConfig(exportTo, "true".equalsIgnoreCase(capture.trim()),
                AnalyzerSettings.fromProxyMetadata(proxyMetadata));
    }
}
