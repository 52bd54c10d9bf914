package io.meshguard.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.rules.validation.AnalyzerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A mesh config given as a file: Istio's {@code istio} ConfigMap (the MeshConfig YAML under {@code data.mesh}), as
 * {@code kubectl get configmap istio -n istio-system -o yaml} prints it, or the MeshConfig YAML itself. Gives what
 * the listener rules read ({@link MeshConfigReader}) and what the analyzers read ({@link AnalyzerSettings}).
 */
public final class MeshConfigFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The parts of one mesh config that meshguard reads. */
    public record Settings(MeshConfig mesh, AnalyzerSettings analyzer) {

        public static final Settings DEFAULT = new Settings(MeshConfig.DEFAULT, AnalyzerSettings.DEFAULT);
    }

    private MeshConfigFile() {
    }

    public static Settings read(Path file) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IOException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Settings.DEFAULT;
        }
        if (!root.isObject()) {
            throw new MalformedObjectException("the mesh config is neither a ConfigMap nor a MeshConfig object");
        }
        JsonNode mesh = root;
        if ("ConfigMap".equals(root.path("kind").asText())) {
            JsonNode text = root.path("data").path("mesh");
            if (!text.isTextual()) {
                throw new MalformedObjectException("the ConfigMap has no data.mesh");
            }
            try {
                mesh = YAML.readTree(text.asText());
            } catch (IOException e) {
                throw new MalformedObjectException("data.mesh is not valid YAML: " + firstLine(e.getMessage()));
            }
        }
        return fromTree(mesh);
    }

    public static Settings fromTree(JsonNode mesh) {
        if (mesh == null || !mesh.isObject()) {
            return Settings.DEFAULT;
        }
        Map<String, String> proxyMetadata = new HashMap<>();
        mesh.path("defaultConfig").path("proxyMetadata").fields()
                .forEachRemaining(f -> proxyMetadata.put(f.getKey(), f.getValue().asText()));
        return new Settings(MeshConfigReader.fromTree(mesh), AnalyzerSettings.fromProxyMetadata(proxyMetadata));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
