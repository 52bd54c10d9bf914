package io.meshguard.mesh.gateway;

import java.util.Locale;

/**
 * A server's {@code tls} block, as far as istiod's merging looks at it. A server with a {@code tls} block at all
 * (even one that only sets {@code httpsRedirect}) takes part in istiod's duplicate-host check on its port.
 *
 * @param mode {@code SIMPLE}, {@code PASSTHROUGH}, ... upper case; {@code SIMPLE} when unset, as in the API
 */
public record ServerTls(String mode, boolean httpsRedirect) {

    public ServerTls {
        mode = mode == null || mode.isEmpty() ? "SIMPLE" : mode.toUpperCase(Locale.ROOT);
    }

    /** TLS passed through to the backend ({@code PASSTHROUGH} or {@code AUTO_PASSTHROUGH}). */
    public boolean passthrough() {
        return mode.equals("PASSTHROUGH") || mode.equals("AUTO_PASSTHROUGH");
    }
}
