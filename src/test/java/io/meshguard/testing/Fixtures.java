package io.meshguard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The YAML fixture folders under src/test/resources/fixtures, one case a file. */
public final class Fixtures {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Fixtures() {
    }

    /** Every {@code .yaml} file in {@code fixtures/<folder>}, in name order, as (file name, content). */
    public static Stream<Arguments> in(String folder) {
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/fixtures", folder))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted()
                    .map(p -> Arguments.of(p.getFileName().toString(), read(p)))
                    .toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(folder, e);
        }
    }

    public static JsonNode read(Path path) {
        try {
            return YAML.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(path.toString(), e);
        }
    }

    public static List<JsonNode> list(JsonNode array) {
        List<JsonNode> values = new ArrayList<>();
        array.forEach(values::add);
        return values;
    }

    public static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(n -> values.add(n.asText()));
        return values;
    }
}
