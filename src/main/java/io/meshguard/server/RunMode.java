package io.meshguard.server;

import java.util.Locale;
import java.util.Map;

/** Where the index gets the cluster's state from. */
public enum RunMode {
    STANDALONE, CLUSTER;

    static RunMode resolve(String configured, Map<String, String> environment) {
        return switch (configured.trim().toLowerCase(Locale.ROOT)) {
            case "standalone" -> STANDALONE;
            case "cluster" -> CLUSTER;
            case "auto" -> environment.containsKey("KUBERNETES_SERVICE_HOST") ? CLUSTER : STANDALONE;
            default -> throw new IllegalArgumentException(
                    "meshguard.mode must be auto, standalone or cluster, got '" + configured + "'");
        };
    }
}
