package io.meshguard.admission;

/** Finding codes that the admission layer itself raises, beside those of the rules. */
public final class DenialCodes {

    /** The object could not be read: the API server's schema validation should have stopped it. */
    public static final String MALFORMED_OBJECT = "MalformedObject";

    private DenialCodes() {
    }
}
