package io.meshguard.admission;

import io.meshguard.rules.Words;

/**
 * The last bound on text that leaves meshguard in an answer: every warning, denial message, cause message and error
 * message goes through here on its way out, whatever built it, so no input (a 1 MiB host, a 6 MiB {@code kind})
 * makes an answer long. Control characters become {@code ?}: the API server drops a warning that has any.
 */
public final class ResponseText {

    /** The most characters of one warning; the API server truncates longer ones anyway. */
    public static final int WARNING = 256;
    /** The most characters of one message: a denial's, a cause's, an error's. */
    public static final int MESSAGE = 4096;

    private static final String MORE = "...";

    private ResponseText() {
    }

    public static String warning(String text) {
        return clip(text, WARNING, false);
    }

    /** A message: at most {@link #MESSAGE} characters; line breaks kept (a denial lists its findings one a line). */
    public static String message(String text) {
        return clip(text, MESSAGE, true);
    }

    /** A one-line message of at most {@code max} characters. */
    public static String message(String text, int max) {
        return clip(text, max, false);
    }

    private static String clip(String text, int max, boolean lines) {
        if (text == null) {
            return "";
        }
        int keep = text.length() <= max ? text.length() : Math.max(0, max - MORE.length());
        String kept = Words.clean(text, keep, lines);
        return keep < text.length() ? kept + MORE : kept;
    }
}
