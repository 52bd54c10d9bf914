package io.meshguard.mesh;

import java.util.Locale;

/** {@code spec.resolution}. Unset means NONE, as in Istio. */
public enum Resolution {
    NONE, STATIC, DNS, DNS_ROUND_ROBIN, DYNAMIC_DNS, UNKNOWN;

    public static Resolution of(String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
