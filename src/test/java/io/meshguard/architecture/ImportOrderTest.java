package io.meshguard.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way. Each package of {@code io.meshguard} imports only packages below it:
 *
 * <pre>
 *   server, cli                 the edges: HTTP and the command line
 *   audit                       the engine over the whole cluster
 *   enforcement                 enforcement modes
 *   admission                   AdmissionReview in and out, one pipeline per kind
 *   companions                  the planner, and the controller that reconciles through small read ports
 *   cluster                     fabric8: informers and their indexes, which feed the index and implement those ports
 *   rules                       one class per istiod mechanism
 *   index                       the cluster state
 *   mesh                        immutable views
 * </pre>
 *
 * {@code decode} (JSON and YAML into the views) stands beside the chain: it imports only {@code mesh}, and
 * anything above {@code rules} may use it. {@code mesh}, {@code rules} and {@code index} import no framework: no
 * Jackson, Quarkus, fabric8, Vert.x, Micrometer, MicroProfile or Jakarta. Read from the sources: a reference by
 * import or by full name counts; comments and strings do not.
 */
class ImportOrderTest {

    static final Path SOURCES = Path.of("src/main/java/io/meshguard");

    /** Rank of each package: a package imports only packages of a higher rank (server and cli not each other). */
    static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("server", 0), Map.entry("cli", 0),
            Map.entry("audit", 1),
            Map.entry("enforcement", 2),
            Map.entry("admission", 3),
            Map.entry("companions", 4),
            Map.entry("cluster", 5),
            Map.entry("rules", 6),
            Map.entry("index", 7),
            Map.entry("mesh", 8));

    static final String DECODE = "decode";
    /** The lowest rank that may use {@code decode}: everything above {@code rules}. */
    static final int DECODE_USERS_UP_TO = RANK.get("cluster");

    static final Set<String> FRAMEWORK_FREE = Set.of("mesh", "rules", "index");
    static final List<String> FRAMEWORKS = List.of("com.fasterxml.", "io.quarkus.", "io.fabric8.", "io.vertx.",
            "io.micrometer.", "io.smallrye.", "org.eclipse.microprofile.", "jakarta.", "org.jboss.");

    /**
     * Arrows that still run upward, as {@code file -> package}. This list only shrinks: an arrow not listed fails the
     * build, and so does a listed one that is gone (delete its line).
     */
    static final Set<String> KNOWN_UPWARD = Set.of();

    @Test
    void no_package_imports_one_above_it() {
        Set<String> upward = new TreeSet<>();
        forEachSource((file, code) -> upward.addAll(upwardArrows(file, code)));

        Set<String> unlisted = new TreeSet<>(upward);
        unlisted.removeAll(KNOWN_UPWARD);
        assertThat(unlisted).as("imports that run upward (move the class, or invert the dependency)").isEmpty();
    }

    @Test
    void the_list_of_known_upward_arrows_only_shrinks() {
        Set<String> upward = new TreeSet<>();
        forEachSource((file, code) -> upward.addAll(upwardArrows(file, code)));

        Set<String> gone = new TreeSet<>(KNOWN_UPWARD);
        gone.removeAll(upward);
        assertThat(gone).as("fixed: delete these lines from KNOWN_UPWARD").isEmpty();
    }

    @Test
    void the_domain_imports_no_framework() {
        Set<String> found = new TreeSet<>();
        forEachSource((file, code) -> {
            if (FRAMEWORK_FREE.contains(topPackage(file))) {
                for (String framework : FRAMEWORKS) {
                    if (Pattern.compile("\\b" + Pattern.quote(framework)).matcher(code).find()) {
                        found.add(file + " -> " + framework + "*");
                    }
                }
            }
        });
        assertThat(found).isEmpty();
    }

    @Test
    void every_package_has_a_place_in_the_order() {
        Set<String> packages = new TreeSet<>();
        forEachSource((file, code) -> packages.add(topPackage(file)));
        packages.remove(DECODE);
        assertThat(RANK.keySet()).as("add new packages to RANK").containsAll(packages);
        assertThat(packages).as("the sources were found").contains("server", "admission", "rules", "mesh");
    }

    @Test
    void the_check_sees_an_upward_import_and_ignores_comments_and_strings() {
        String code = code("""
                package io.meshguard.rules;
                import io.meshguard.mesh.EntryKey;
                // io.meshguard.server.Nothing in a comment
                /** {@link io.meshguard.admission.Outcome} in a javadoc */
                class X { String s = "io.meshguard.cli.Main"; Object o = io.meshguard.companions.Plan.class; }
                """);
        assertThat(upwardArrows("rules/X.java", code)).containsExactly("rules/X.java -> companions");
        assertThat(upwardArrows("mesh/Y.java", "import io.meshguard.decode.ServiceEntryReader;"))
                .containsExactly("mesh/Y.java -> decode");
        assertThat(upwardArrows("decode/Z.java", "import io.meshguard.index.IndexSnapshot;"))
                .containsExactly("decode/Z.java -> index");
        assertThat(upwardArrows("cluster/W.java", "import io.meshguard.decode.ServiceEntryReader;")).isEmpty();
        assertThat(upwardArrows("cluster/V.java", "import io.meshguard.companions.Plan;"))
                .containsExactly("cluster/V.java -> companions");
    }

    static final Pattern REFERENCE = Pattern.compile("\\bio\\.meshguard\\.([a-z][a-z0-9_]*)\\b");

    /** The packages {@code file} (relative to io/meshguard) refers to that are not below it. */
    static Set<String> upwardArrows(String file, String code) {
        String from = topPackage(file);
        Set<String> arrows = new TreeSet<>();
        Matcher m = REFERENCE.matcher(code);
        while (m.find()) {
            String to = m.group(1);
            if (!to.equals(from) && !allowed(from, to)) {
                arrows.add(file + " -> " + to);
            }
        }
        return arrows;
    }

    static boolean allowed(String from, String to) {
        if (from.equals(DECODE)) {
            return to.equals("mesh");
        }
        if (to.equals(DECODE)) {
            return RANK.containsKey(from) && RANK.get(from) <= DECODE_USERS_UP_TO;
        }
        Integer fromRank = RANK.get(from);
        Integer toRank = RANK.get(to);
        return fromRank != null && toRank != null && toRank > fromRank;
    }

    static String topPackage(String file) {
        int slash = file.indexOf('/');
        return slash < 0 ? "" : file.substring(0, slash);
    }

    /** The source without comments and string or char literals, so that only code is checked. */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    interface SourceVisitor {
        void visit(String file, String code);
    }

    static void forEachSource(SourceVisitor visitor) {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> {
                String file = SOURCES.relativize(p).toString().replace('\\', '/');
                try {
                    visitor.visit(file, code(Files.readString(p)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
