package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.fge.jsonpatch.JsonPatch;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The patch generator as a table of (source, target, exact patch). Each patch is also applied to its source by
 * an independent RFC 6902 implementation (java-json-tools' json-patch), which must yield the target.
 */
class JsonPatchDiffTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("equal trees give no operation",
                        "{\"a\":1,\"b\":[1,2]}", "{\"a\":1,\"b\":[1,2]}", "[]"),
                Arguments.of("an absent annotations map is added whole",
                        "{\"metadata\":{\"name\":\"x\"}}",
                        "{\"metadata\":{\"name\":\"x\",\"annotations\":{\"meshguard.io/companions\":\"VirtualService/x-sni\"}}}",
                        "[{\"op\":\"add\",\"path\":\"/metadata/annotations\","
                                + "\"value\":{\"meshguard.io/companions\":\"VirtualService/x-sni\"}}]"),
                Arguments.of("a key with / is escaped as ~1",
                        "{\"metadata\":{\"annotations\":{\"a/b\":\"1\"}}}",
                        "{\"metadata\":{\"annotations\":{\"a/b\":\"1\",\"meshguard.io/companions\":\"V/x\"}}}",
                        "[{\"op\":\"add\",\"path\":\"/metadata/annotations/meshguard.io~1companions\",\"value\":\"V/x\"}]"),
                Arguments.of("a key with ~ is escaped as ~0, and ~1 in a key is not mistaken for /",
                        "{\"m\":{\"x~1y\":\"old\",\"p~q\":\"old\"}}",
                        "{\"m\":{\"x~1y\":\"new\",\"p~q\":\"new\"}}",
                        "[{\"op\":\"replace\",\"path\":\"/m/x~01y\",\"value\":\"new\"},"
                                + "{\"op\":\"replace\",\"path\":\"/m/p~0q\",\"value\":\"new\"}]"),
                Arguments.of("a removed key is removed",
                        "{\"metadata\":{\"annotations\":{\"keep\":\"1\",\"meshguard.io/companions\":\"V/x\"}}}",
                        "{\"metadata\":{\"annotations\":{\"keep\":\"1\"}}}",
                        "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/meshguard.io~1companions\"}]"),
                Arguments.of("a null annotations value is replaced by a map",
                        "{\"metadata\":{\"annotations\":null}}",
                        "{\"metadata\":{\"annotations\":{\"k\":\"v\"}}}",
                        "[{\"op\":\"replace\",\"path\":\"/metadata/annotations\",\"value\":{\"k\":\"v\"}}]"),
                Arguments.of("a changed array is replaced whole",
                        "{\"spec\":{\"hosts\":[\"a\",\"b\"]}}", "{\"spec\":{\"hosts\":[\"b\"]}}",
                        "[{\"op\":\"replace\",\"path\":\"/spec/hosts\",\"value\":[\"b\"]}]"),
                Arguments.of("a type change is a replace, an empty key is the path /",
                        "{\"\":1,\"n\":{\"x\":1}}", "{\"\":2,\"n\":\"flat\"}",
                        "[{\"op\":\"replace\",\"path\":\"/\",\"value\":2},"
                                + "{\"op\":\"replace\",\"path\":\"/n\",\"value\":\"flat\"}]"),
                Arguments.of("removals come in source order, additions in target order",
                        "{\"a\":1,\"b\":2,\"c\":3}", "{\"b\":2,\"z\":26,\"y\":25}",
                        "[{\"op\":\"remove\",\"path\":\"/a\"},{\"op\":\"remove\",\"path\":\"/c\"},"
                                + "{\"op\":\"add\",\"path\":\"/z\",\"value\":26},{\"op\":\"add\",\"path\":\"/y\",\"value\":25}]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void diff_is_exact_and_applies_to_the_target(String name, String source, String target, String patch)
            throws Exception {
        JsonNode from = JSON.readTree(source);
        JsonNode to = JSON.readTree(target);

        JsonNode operations = JsonPatchDiff.diff(from, to);

        assertThat(operations).as("patch").isEqualTo(JSON.readTree(patch));
        assertThat(JsonPatch.fromJson(operations).apply(from)).as("patch applied by json-patch").isEqualTo(to);
        assertThat(from).as("the source is left alone").isEqualTo(JSON.readTree(source));
    }
}
