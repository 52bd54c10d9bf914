package io.meshguard.rules;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Iterator;

/**
 * Text for messages and warnings built from what a client wrote: clipped to a bound and free of control
 * characters (the API server drops a warning that has any), so a 1 MiB host makes a short message.
 */
public final class Words {

    /** The most characters of one client-written value a message quotes. */
    public static final int VALUE = 80;
    /** The most characters of a warning: the API server truncates longer ones. */
    public static final int WARNING = 256;

    private Words() {
    }

    /** {@code text} with control characters (C0, DEL, C1, line and paragraph separators) as {@code ?}, clipped. */
    public static String clip(String text, int max) {
        if (text == null) {
            return "";
        }
        String kept = clean(text, Math.min(text.length(), max), false);
        return text.length() > max ? kept + "..." : kept;
    }

    /**
     * The first {@code keep} characters of {@code text}, with control characters (C0 but, with {@code lineBreaks},
     * the line break; DEL, C1, line and paragraph separators) and lone surrogates as {@code ?}. A surrogate pair the
     * cut would split is left out whole.
     */
    public static String clean(String text, int keep, boolean lineBreaks) {
        String head = keep == text.length() ? text : text.substring(0, keep);
        if (plain(head, lineBreaks)) {
            return head;
        }
        StringBuilder out = new StringBuilder(keep);
        for (int i = 0; i < keep; i++) {
            char c = text.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairStart && i + 1 == keep) {
                break;
            }
            if (pairStart) {
                out.append(c).append(text.charAt(++i));
                continue;
            }
            boolean control = (c < 0x20 && !(lineBreaks && c == '\n')) || (c >= 0x7f && c <= 0x9f)
                    || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c);
            out.append(control ? '?' : c);
        }
        return out.toString();
    }

    /**
     * Nothing in {@code text} to replace, the usual case: printable ASCII and, with {@code lineBreaks}, line breaks.
     * Checked on a Latin-1 copy, which for a compact string is an array copy, because C1, the webhook's compiler,
     * calls {@code charAt} and {@code append} for each character, and a denial's messages run to 16,000 characters.
     * Any other character becomes {@code ?} in the copy, so a {@code ?} answers false too.
     */
    private static boolean plain(String text, boolean lineBreaks) {
        for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
            if ((b < 0x20 || b == 0x7f || b == '?') && !(lineBreaks && b == '\n')) {
                return false;
            }
        }
        return true;
    }

    public static String value(String text) {
        return clip(text, VALUE);
    }

    /** A warning as the API server will show it: at most {@link #WARNING} characters, no control characters. */
    public static String warning(String text) {
        String clean = clip(text, Integer.MAX_VALUE);
        return clean.length() <= WARNING ? clean : clip(clean, WARNING - 3);
    }

    /** "[a, b, c]": at most {@code max} items, each clipped, then how many more. */
    public static String list(Collection<String> items, int max, String separator) {
        StringBuilder out = new StringBuilder();
        Iterator<String> it = items.iterator();
        int shown = 0;
        while (it.hasNext() && shown < max) {
            if (shown > 0) {
                out.append(separator);
            }
            out.append(value(it.next()));
            shown++;
        }
        if (items.size() > shown) {
            out.append(separator).append("... ").append(items.size() - shown).append(" more");
        }
        return out.toString();
    }
}
