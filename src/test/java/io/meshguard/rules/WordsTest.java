package io.meshguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.admission.ResponseText;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client-written text on its way into a message ({@link Words#clip}) and out in an answer ({@link ResponseText}):
 * clipped, control characters as {@code ?}, surrogate pairs whole. Plain text takes a shortcut; the property holds
 * both to the character-by-character definition written out below.
 */
class WordsTest {

    static Stream<Arguments> clips() {
        return Stream.of(
                Arguments.of("plain, short", "team-7/ext-358", 80, "team-7/ext-358"),
                Arguments.of("plain, clipped", "abcdefghij", 4, "abcd..."),
                Arguments.of("a question mark is kept", "why?", 80, "why?"),
                Arguments.of("a line break is a control character here", "a\nb", 80, "a?b"),
                Arguments.of("C0, DEL and C1", "a\u0000b\u007fc\u0085d", 80, "a?b?c?d"),
                Arguments.of("line and paragraph separators", "a\u2028b\u2029c", 80, "a?b?c"),
                Arguments.of("Latin-1 letters are kept", "caf\u00e9", 80, "caf\u00e9"),
                Arguments.of("a surrogate pair is kept", "x\ud83d\ude00y", 80, "x\ud83d\ude00y"),
                Arguments.of("a lone surrogate is not", "x\ud83dy\ude00", 80, "x?y?"),
                Arguments.of("a pair at the cut is dropped whole", "ab\ud83d\ude00", 3, "ab..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void a_value_is_clipped_and_cleaned(String name, String text, int max, String expected) {
        assertThat(Words.clip(text, max)).isEqualTo(expected);
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("plain, short", "ServiceEntry a/b collides", "ServiceEntry a/b collides"),
                Arguments.of("line breaks are kept in a message", "one\ntwo", "one\ntwo"),
                Arguments.of("a tab is not", "one\ttwo", "one?two"),
                Arguments.of("clipped to the bound, with the mark inside it", "x".repeat(ResponseText.MESSAGE + 1),
                        "x".repeat(ResponseText.MESSAGE - 3) + "..."),
                Arguments.of("a pair is never split at the cut",
                        "x".repeat(ResponseText.MESSAGE - 4) + "\ud83d\ude00" + "yyy",
                        "x".repeat(ResponseText.MESSAGE - 4) + "..."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void a_message_leaves_with_its_line_breaks(String name, String text, String expected) {
        assertThat(ResponseText.message(text)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void a_warning_is_one_line() {
        assertThat(ResponseText.warning("one\ntwo")).isEqualTo("one?two");
        assertThat(ResponseText.warning(null)).isEmpty();
    }

    @Property(tries = 2000, seed = "5120")
    void clipping_is_the_definition_character_by_character(@ForAll("texts") String text,
            @ForAll("bounds") int max) {
        assertThat(Words.clip(text, max)).isEqualTo(wordsDefinition(text, max));
        assertThat(ResponseText.message(text, max)).isEqualTo(responseDefinition(text, max, false));
        assertThat(ResponseText.message(text)).isEqualTo(responseDefinition(text, ResponseText.MESSAGE, true));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<Character> plain = Arbitraries.chars().range(' ', '~');
        Arbitrary<Character> odd = Arbitraries.of('\n', '\t', '\u0000', '\u007f', '\u0085', '\u00e9', '\u2028',
                '\u2029', '\ud83d', '\ude00', '?', '\u4e2d');
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, plain), net.jqwik.api.Tuple.of(1, odd))
                .list().ofMaxSize(40).map(chars -> {
                    StringBuilder out = new StringBuilder();
                    chars.forEach(out::append);
                    return out.toString();
                });
    }

    @Provide
    Arbitrary<Integer> bounds() {
        return Arbitraries.integers().between(3, 45);
    }

    /** What {@link Words#clip} promises, one character at a time. */
    private static String wordsDefinition(String text, int max) {
        String head = text.substring(0, Math.min(text.length(), max));
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < head.length(); i++) {
            out.append(control(head.charAt(i), false) || lone(text, i) ? '?' : head.charAt(i));
        }
        if (text.length() <= max) {
            return out.toString();
        }
        // A pair cut in two loses its first half too.
        if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
            out.setLength(out.length() - 1);
        }
        return out + "...";
    }

    /** What {@link ResponseText} promises, one character at a time. */
    private static String responseDefinition(String text, int max, boolean lines) {
        int keep = text.length() <= max ? text.length() : Math.max(0, max - 3);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < keep; i++) {
            if (!lone(text, i) && Character.isHighSurrogate(text.charAt(i))) {
                if (i + 1 == keep) {
                    break;
                }
                out.append(text, i, i + 2);
                i++;
            } else {
                out.append(control(text.charAt(i), lines) || Character.isSurrogate(text.charAt(i)) ? '?'
                        : text.charAt(i));
            }
        }
        return keep < text.length() ? out + "..." : out.toString();
    }

    private static boolean control(char c, boolean lineBreaks) {
        return (c < 0x20 && !(lineBreaks && c == '\n')) || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }

    /** A surrogate without its other half beside it. */
    private static boolean lone(String text, int i) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c)
                ? !(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
                : Character.isLowSurrogate(c) && !(i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
    }
}
