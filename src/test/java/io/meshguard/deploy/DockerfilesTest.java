package io.meshguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the pods' securityContext and the Service rely on, read from the Dockerfiles, without building an image. */
class DockerfilesTest {

    static List<String> instructions(String dockerfile) throws IOException {
        return Files.readAllLines(Path.of("src/main/docker", dockerfile)).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static String last(String dockerfile, String instruction) throws IOException {
        List<String> matching = instructions(dockerfile).stream().filter(l -> l.startsWith(instruction + " ")).toList();
        assertThat(matching).as("%s instructions in %s", instruction, dockerfile).isNotEmpty();
        return matching.get(matching.size() - 1).substring(instruction.length() + 1).strip();
    }

    @ParameterizedTest
    @CsvSource({
        "Dockerfile.jvm, registry.access.redhat.com/ubi9/openjdk-17-runtime:",
        "Dockerfile.native-micro, quay.io/quarkus/ubi9-quarkus-micro-image:2.0"})
    void baseImage(String dockerfile, String image) throws IOException {
        assertThat(last(dockerfile, "FROM")).startsWith(image);
    }

    @ParameterizedTest
    @CsvSource({"Dockerfile.jvm, 185", "Dockerfile.native-micro, 1001"})
    void runsAsANumericNonRootUser(String dockerfile, String uid) throws IOException {
        // runAsNonRoot can only be verified by the kubelet when the image's user is numeric.
        assertThat(last(dockerfile, "USER")).isEqualTo(uid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void exposesOnlyTheHttpsPort(String dockerfile) throws IOException {
        assertThat(instructions(dockerfile).stream().filter(l -> l.startsWith("EXPOSE "))).containsExactly("EXPOSE 8443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void listensOnAllInterfaces(String dockerfile) throws IOException {
        assertThat(String.join("\n", instructions(dockerfile))).contains("-Dquarkus.http.host=0.0.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void copiesOnlyWhatDockerignoreLetsThrough(String dockerfile) throws IOException {
        List<String> allowed = Files.readAllLines(Path.of(".dockerignore")).stream().map(String::strip)
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        Matcher copy = Pattern.compile("^COPY (?:--\\S+ )*(\\S+) \\S+$").matcher("");
        for (String line : instructions(dockerfile)) {
            if (copy.reset(line).matches()) {
                String source = copy.group(1);
                assertThat(allowed).as("a .dockerignore exception covering %s", source)
                        .anyMatch(a -> source.equals(a) || a.endsWith("/*") && source.startsWith(a.substring(0, a.length() - 1)));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void jvmImageCopiesTheFastJarLayoutThatMvnPackageWrites() throws IOException {
        Path app = Path.of("target/quarkus-app");
        assumeTrue(Files.isDirectory(app), "target/quarkus-app is absent: run mvn package first");
        for (String part : List.of("lib", "app", "quarkus", "quarkus-run.jar")) {
            assertThat(app.resolve(part)).exists();
        }
        assertThat(String.join("\n", instructions("Dockerfile.jvm"))).contains("/deployments/quarkus-run.jar");
    }
}
