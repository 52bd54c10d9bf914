package io.meshguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.mesh.MeshConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A mesh config given as a file: Istio's {@code istio} ConfigMap (the MeshConfig YAML under {@code data.mesh}), as
 * {@code kubectl get configmap istio -n istio-system -o yaml} prints it, or the MeshConfig YAML itself, read as the
 * cluster's ConfigMap is ({@link MeshConfigReader}): what the listener rules and the analyzers read.
 */
public final class MeshConfigFile {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private MeshConfigFile() {
    }

    public static MeshConfig read(Path file) throws IOException {
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IOException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return MeshConfig.DEFAULT;
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
        return MeshConfigReader.fromTree(mesh);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
