package io.meshguard.decode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.ServiceEntryFacts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a folder of Kubernetes manifests (YAML, multi-document, or JSON) into ServiceEntry facts for the
 * standalone index. Pure apart from reading the files: nothing here touches the index or logs.
 *
 * <p>Every document is parsed on its own, so a broken document costs only itself: it becomes a {@link Problem}
 * with its file and line, and the documents around it still load. Objects of other kinds are counted and
 * skipped; a {@code kind: List} (what {@code kubectl get serviceentries -A -o yaml} prints) is unpacked.
 * When a namespace/name appears twice, the first one loads and the second is a problem.
 */
public final class ManifestLoader {

    /** What went wrong with one document (or one item of a List), by file and 1-based line; line 0 means the file. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
        }
    }

    /**
     * @param entries the ServiceEntries read, in file order
     * @param files the manifest files read
     * @param otherKinds documents of other kinds, skipped
     */
    public record Result(List<ServiceEntryFacts> entries, List<Problem> problems, int files, int otherKinds) {
        public String summary() {
            return "preloaded " + entries.size() + " entries from " + files + " files; " + problems.size()
                    + " bad documents" + (otherKinds > 0 ? "; " + otherKinds + " objects of other kinds skipped" : "");
        }
    }

    /** Receives each Kubernetes object a {@link #scan} finds, unread, with where it is. */
    @FunctionalInterface
    public interface ObjectSink {
        /**
         * @param where empty, or the item of a List it is ({@code "items[3]: "})
         * @param object an object with a kind
         * @return whether the object was of a kind the caller takes; the others are counted as skipped
         */
        boolean accept(Path file, int line, String where, JsonNode object);
    }

    /**
     * What a {@link #scan} read besides the objects it handed over.
     *
     * @param files the manifest files read (stdin counts as one)
     * @param otherKinds documents of other kinds, skipped
     */
    public record Scan(List<Problem> problems, int files, int otherKinds) {
    }

    /** The name stdin goes by in problems and findings. */
    public static final Path STDIN = Path.of("<stdin>");

    /** A line that starts a new YAML document; anything after the marker belongs to the new document. */
    private static final Pattern DOCUMENT_START = Pattern.compile("^---(?:[ \\t].*)?$");
    private static final Pattern DOCUMENT_END = Pattern.compile("^\\.\\.\\.[ \\t]*$");
    private static final int MAX_DEPTH = 8;
    private static final Pattern SNAKE_LINE = Pattern.compile("line (\\d+)");

    private final ObjectMapper yaml;

    public ManifestLoader() {
        LoaderOptions options = new LoaderOptions();
        // SnakeYAML refuses documents over 3 MB by default; a List of a whole cluster's entries is larger.
        options.setCodePointLimit(256 * 1024 * 1024);
        // A key twice in one mapping is an error, as kubectl says, not "the last one wins".
        this.yaml = new ObjectMapper(YAMLFactory.builder().loaderOptions(options)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
    }

    /**
     * @param dir a folder; its *.yaml, *.yml and *.json files are read, sub-folders included, in path order
     * @param nowMillis the creation time assumed for an entry without {@code metadata.creationTimestamp}
     */
    public Result load(Path dir, long nowMillis) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
            files = walk.filter(Files::isRegularFile).filter(ManifestLoader::isManifest).sorted().toList();
        }
        Collector collector = new Collector(nowMillis);
        for (Path file : files) {
            collector.file(file);
        }
        return new Result(List.copyOf(collector.entries), List.copyOf(collector.problems), files.size(),
                collector.otherKinds);
    }

    /**
     * Reads manifests as {@code kubectl apply -f} takes them, in order: a file (whatever its name), a folder (its
     * *.yaml, *.yml and *.json files, sub-folders included, in path order), or {@code -} for {@code stdin}. Each
     * object with a kind goes to {@code sink} as read, duplicates included, the items of a List one by one; a source
     * that does not exist or cannot be read, and a document that is not an object with a kind, is a problem.
     */
    public Scan scan(List<String> sources, InputStream stdin, ObjectSink sink) {
        Collector collector = new Collector(0);
        collector.sink = sink;
        int files = 0;
        for (String source : sources) {
            if (source.equals("-")) {
                files++;
                collector.read(STDIN, new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
                continue;
            }
            Path path = Path.of(source);
            List<Path> found;
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path, MAX_DEPTH)) {
                    found = walk.filter(Files::isRegularFile).filter(ManifestLoader::isManifest).sorted().toList();
                } catch (IOException | RuntimeException e) {
                    collector.problems.add(new Problem(path, 0, "cannot be read: " + e.getMessage()));
                    continue;
                }
            } else if (Files.exists(path)) {
                found = List.of(path);
            } else {
                collector.problems.add(new Problem(path, 0, "no such file or folder"));
                continue;
            }
            files += found.size();
            found.forEach(collector::file);
        }
        return new Scan(List.copyOf(collector.problems), files, collector.otherKinds);
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private final class Collector {
        private final long nowMillis;
        private final List<ServiceEntryFacts> entries = new ArrayList<>();
        private final List<Problem> problems = new ArrayList<>();
        private final Map<EntryKey, String> seen = new HashMap<>();
        private int otherKinds;
        /** When set, ServiceEntry objects go here unread instead of into {@link #entries}. */
        private ObjectSink sink;

        Collector(long nowMillis) {
            this.nowMillis = nowMillis;
        }

        void file(Path file) {
            try {
                read(file, Files.newBufferedReader(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                problems.add(new Problem(file, 0, "cannot be read: " + e));
            }
        }

        void read(Path file, BufferedReader source) {
            try (BufferedReader reader = source) {
                StringBuilder document = new StringBuilder();
                int documentLine = 1;
                int lineNumber = 0;
                String line;
                while ((line = reader.readLine()) != null) {
                    lineNumber++;
                    if (DOCUMENT_START.matcher(line).matches()) {
                        document(file, documentLine, document);
                        document.setLength(0);
                        documentLine = lineNumber;
                        // "--- {a: 1}" starts a document on the marker's own line: keep what follows the marker.
                        document.append(" ".repeat(3)).append(line, 3, line.length()).append('\n');
                    } else if (DOCUMENT_END.matcher(line).matches()) {
                        document(file, documentLine, document);
                        document.setLength(0);
                        documentLine = lineNumber + 1;
                    } else {
                        document.append(line).append('\n');
                    }
                }
                document(file, documentLine, document);
            } catch (IOException e) {
                problems.add(new Problem(file, 0, "cannot be read: " + e));
            }
        }

        /** @param firstLine the file's line number of the document's first line */
        private void document(Path file, int firstLine, CharSequence text) {
            if (text.toString().isBlank()) {
                return;
            }
            JsonNode root;
            try {
                root = yaml.readTree(text.toString());
            } catch (JsonProcessingException e) {
                JsonLocation where = e.getLocation();
                int line = where == null || where.getLineNr() < 1 ? firstLine : firstLine + where.getLineNr() - 1;
                problems.add(new Problem(file, line, "not valid YAML: " + parserMessage(e.getOriginalMessage(), firstLine)));
                return;
            } catch (RuntimeException e) {
                problems.add(new Problem(file, firstLine, "not valid YAML: " + e));
                return;
            }
            if (root == null || root.isNull() || root.isMissingNode()) {
                return;
            }
            if (!root.isObject()) {
                problems.add(new Problem(file, firstLine, "the document is not a mapping, so not a Kubernetes object"));
                return;
            }
            String kind = root.path("kind").asText("");
            JsonNode items = root.path("items");
            if (kind.endsWith("List") && items.isArray()) {
                for (int i = 0; i < items.size(); i++) {
                    object(file, firstLine, "items[" + i + "]: ", items.get(i));
                }
                return;
            }
            object(file, firstLine, "", root);
        }

        private void object(Path file, int line, String where, JsonNode object) {
            if (!object.isObject()) {
                problems.add(new Problem(file, line, where + "not a Kubernetes object"));
                return;
            }
            String kind = object.path("kind").asText("");
            String apiVersion = object.path("apiVersion").asText("");
            if (kind.isEmpty()) {
                problems.add(new Problem(file, line, where + "the object has no kind"));
                return;
            }
            if (sink != null) {
                if (!sink.accept(file, line, where, object)) {
                    otherKinds++;
                }
                return;
            }
            if (!kind.equals("ServiceEntry") || !apiVersion.startsWith("networking.istio.io/")) {
                otherKinds++;
                return;
            }
            ServiceEntryFacts facts;
            try {
                facts = ServiceEntryReader.read(object, null, nowMillis);
            } catch (MalformedObjectException e) {
                problems.add(new Problem(file, line, where + "ServiceEntry " + describe(object) + ": " + e.getMessage()));
                return;
            } catch (RuntimeException e) {
                problems.add(new Problem(file, line, where + "ServiceEntry " + describe(object) + " cannot be read: " + e));
                return;
            }
            String here = file + ":" + line;
            String first = seen.putIfAbsent(facts.key(), here);
            if (first != null) {
                problems.add(new Problem(file, line, where + "ServiceEntry " + facts.key()
                        + " is already defined at " + first + "; this copy is skipped"));
                return;
            }
            entries.add(facts);
        }

        /**
         * SnakeYAML's message counts lines from the document's start and quotes the source: renumber the lines
         * to the file's and keep one line of text.
         */
        private static String parserMessage(String message, int firstLine) {
            StringBuilder out = new StringBuilder();
            for (String part : message.split("\n")) {
                if (part.startsWith("    ") || part.isBlank()) {
                    continue;
                }
                Matcher m = SNAKE_LINE.matcher(part.trim());
                StringBuilder renumbered = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(renumbered, "line " + (Integer.parseInt(m.group(1)) + firstLine - 1));
                }
                m.appendTail(renumbered);
                out.append(out.length() == 0 ? "" : " ").append(renumbered);
            }
            return out.toString();
        }

        private static String describe(JsonNode object) {
            JsonNode metadata = object.path("metadata");
            return metadata.path("namespace").asText("?") + "/" + metadata.path("name").asText("?");
        }
    }
}
