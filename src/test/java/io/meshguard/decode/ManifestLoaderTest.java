package io.meshguard.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The preload folder as a table: each row is a set of files, the entries that must load (namespace/name) and
 * the problems that must be reported as "file:line: fragment" (line 0: the file as a whole).
 */
class ManifestLoaderTest {

    static final long NOW = 1_767_225_600_000L;

    static String entry(String namespace, String name, int port) {
        return """
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  hosts: [%s.example.com]
                  ports:
                  - {number: %d, name: tcp, protocol: TCP}
                  resolution: DNS
                """.formatted(name, namespace, name, port);
    }

    record Case(String name, Map<String, String> files, List<String> loaded, List<String> problems, int otherKinds) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Map<String, String> files(String... nameThenContent) {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1]);
        }
        return files;
    }

    static Stream<Case> table() {
        return Stream.of(
                new Case("one document", files("a.yaml", entry("ns1", "a", 443)),
                        List.of("ns1/a"), List.of(), 0),
                new Case("three documents, --- separated, leading marker and comments",
                        files("multi.yaml", "# snapshot\n---\n" + entry("ns1", "a", 443) + "---\n"
                                + entry("ns2", "b", 443) + "---\n# nothing here\n---\n" + entry("ns3", "c", 80)),
                        List.of("ns1/a", "ns2/b", "ns3/c"), List.of(), 0),
                // Document 2 starts on line 11 (its ---); the flow mapping opened on line 20 never closes, which the
                // parser notices on line 21. SnakeYAML's own line numbers are renumbered to the file's.
                new Case("a YAML syntax error costs only its own document, reported at its line",
                        files("broken.yaml", entry("ns1", "a", 443) + "---\n"
                                + entry("ns2", "b", 443).replace("  - {number: 443, name: tcp, protocol: TCP}\n",
                                        "  - {number: 443, name: tcp, protocol: TCP\n")
                                + "---\n" + entry("ns3", "c", 443)),
                        List.of("ns1/a", "ns3/c"), List.of("broken.yaml:21: not valid YAML: while parsing a flow "
                                + "mapping in 'reader', line 20, column 5: expected ',' or '}', but got : "
                                + "in 'reader', line 21, column 13:"), 0),
                new Case("a malformed ServiceEntry is reported at its document's first line, with the field",
                        files("bad-port.yaml", entry("ns1", "a", 443) + "---\n"
                                + entry("ns2", "b", 443).replace("number: 443", "number: \"443\"")),
                        List.of("ns1/a"),
                        List.of("bad-port.yaml:11: ServiceEntry ns2/b: spec.ports[0].number must be an integer"), 0),
                new Case("a port out of range",
                        files("range.yaml", entry("ns1", "a", 70000)),
                        List.of(), List.of("range.yaml:1: ServiceEntry ns1/a: spec.ports[0].number must be between 1 and 65535"), 0),
                new Case("no namespace: the snapshot must say where the entry lives",
                        files("nons.yaml", entry("ns1", "a", 443).replace("  namespace: ns1\n", "")),
                        List.of(), List.of("nons.yaml:1: ServiceEntry ?/a: metadata.namespace is missing"), 0),
                new Case("other kinds are skipped and counted, not errors",
                        files("mixed.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, namespace: y}\n---\n"
                                + entry("ns1", "a", 443)
                                + "---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: v}\n"),
                        List.of("ns1/a"), List.of(), 2),
                new Case("a document with no kind, and one that is not a mapping",
                        files("odd.yaml", "metadata: {name: x}\n---\n- just\n- a list\n---\n" + entry("ns1", "a", 443)),
                        List.of("ns1/a"), List.of("odd.yaml:1: the object has no kind",
                                "odd.yaml:2: the document is not a mapping"), 0),
                new Case("kubectl get -o yaml: a List is unpacked, a bad item named by index",
                        files("list.yaml", "apiVersion: v1\nkind: List\nitems:\n"
                                + indentAsItem(entry("ns1", "a", 443)) + indentAsItem(entry("ns2", "b", 443)
                                        .replace("hosts: [b.example.com]", "hosts: b.example.com"))
                                + indentAsItem(entry("ns3", "c", 443))),
                        List.of("ns1/a", "ns3/c"), List.of("list.yaml:1: items[1]: ServiceEntry ns2/b: spec.hosts is not a list"), 0),
                new Case("JSON files load too; files are read in path order, sub-folders included",
                        files("b/z.json", "{\"apiVersion\":\"networking.istio.io/v1beta1\",\"kind\":\"ServiceEntry\","
                                + "\"metadata\":{\"name\":\"j\",\"namespace\":\"ns9\"},\"spec\":{\"hosts\":[\"j.example.com\"],"
                                + "\"ports\":[{\"number\":27017,\"protocol\":\"MONGO\"}],\"addresses\":[\"10.0.0.9\"]}}",
                                "a.yml", entry("ns1", "a", 443), "notes.txt", "not a manifest: ignored"),
                        List.of("ns1/a", "ns9/j"), List.of(), 0),
                new Case("the same namespace/name twice: the first loads, the second is reported",
                        files("one.yaml", entry("ns1", "a", 443), "two.yaml", entry("ns1", "a", 8443)),
                        List.of("ns1/a"), List.of("two.yaml:1: ServiceEntry ns1/a is already defined at"), 0),
                new Case("a file that is not UTF-8 is reported as a whole; the other files load",
                        files("binary.yaml", "\u00ff\u00fe\u0000garbage", "ok.yaml", entry("ns1", "a", 443)),
                        List.of("ns1/a"), List.of("binary.yaml: cannot be read"), 0),
                new Case("an empty folder loads nothing", files(), List.of(), List.of(), 0));
    }

    static String indentAsItem(String yaml) {
        StringBuilder out = new StringBuilder();
        String[] lines = yaml.split("\n");
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? "- " : "  ").append(lines[i]).append('\n');
        }
        return out.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void loads_what_it_can_and_reports_the_rest_by_file_and_line(Case row, @TempDir Path dir) throws IOException {
        for (Map.Entry<String, String> file : row.files().entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            if (file.getKey().equals("binary.yaml")) {
                Files.write(path, new byte[] {(byte) 0xff, (byte) 0xfe, 0, (byte) 0xc3, 0x28});
            } else {
                Files.writeString(path, file.getValue());
            }
        }

        ManifestLoader.Result result = new ManifestLoader().load(dir, NOW);

        assertThat(result.entries().stream().map(e -> e.key().toString()).toList()).as("loaded")
                .containsExactlyElementsOf(row.loaded());
        List<String> problems = result.problems().stream().map(p -> relative(dir, p)).toList();
        assertThat(problems).as("problems").hasSameSizeAs(row.problems());
        for (int i = 0; i < row.problems().size(); i++) {
            assertThat(problems.get(i)).startsWith(row.problems().get(i));
        }
        assertThat(result.otherKinds()).as("other kinds").isEqualTo(row.otherKinds());
        assertThat(result.summary()).startsWith("preloaded " + row.loaded().size() + " entries from "
                + row.files().keySet().stream().filter(f -> !f.endsWith(".txt")).count() + " files; "
                + row.problems().size() + " bad documents");
    }

    private static String relative(Path dir, ManifestLoader.Problem p) {
        return new ManifestLoader.Problem(dir.relativize(p.file()), p.line(), p.message()).toString();
    }

    @Test
    void facts_are_read_as_the_review_path_reads_them(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), entry("ns1", "a", 443).replace("metadata:\n",
                "metadata:\n  creationTimestamp: \"2024-01-01T00:00:00Z\"\n") + "---\n" + entry("ns2", "b", 80));
        List<ServiceEntryFacts> entries = new ManifestLoader().load(dir, NOW).entries();
        assertThat(entries.get(0).createdMillis()).isEqualTo(1_704_067_200_000L);
        assertThat(entries.get(0).ports()).containsExactly(new ServicePort(443, "TCP"));
        assertThat(entries.get(1).createdMillis()).as("no timestamp: the load time").isEqualTo(NOW);
    }

    @Test
    void a_list_larger_than_snakeyamls_3_MB_default_still_loads(@TempDir Path dir) throws IOException {
        StringBuilder list = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
        int n = 0;
        while (list.length() < 4 * 1024 * 1024) {
            list.append(indentAsItem(entry("ns" + (n % 50), "e" + n, 1000 + n % 60000)));
            n++;
        }
        Files.writeString(dir.resolve("big.yaml"), list);
        ManifestLoader.Result result = new ManifestLoader().load(dir, NOW);
        assertThat(result.problems()).isEmpty();
        assertThat(result.entries()).hasSize(n);
    }

    @Test
    void a_path_that_is_not_a_folder_is_an_error(@TempDir Path dir) {
        assertThatThrownBy(() -> new ManifestLoader().load(dir.resolve("missing"), NOW))
                .isInstanceOf(IOException.class).hasMessageContaining("is not a folder");
    }
}
