package io.meshguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One set of JVM flags (BENCHMARKS.md says why each): the JVM image's, the Deployment's and the load harness's
 * defaults are the same flags, so what was measured is what runs.
 */
class JvmFlagsTest {

    static Container container;

    @BeforeAll
    static void render() {
        Deployment deployment = Kustomize.render(Path.of("k8s")).stream().filter(Deployment.class::isInstance)
                .map(Deployment.class::cast).filter(d -> "meshguard".equals(d.getMetadata().getName()))
                .findFirst().orElseThrow();
        container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static String env(String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("the Deployment sets no " + name));
    }

    /** The JVM's own options ({@code -X...}) of a command line, in order; system properties are configuration. */
    static List<String> jvmFlags(String options) {
        return Arrays.stream(options.strip().split("\\s+")).filter(o -> o.startsWith("-X")).toList();
    }

    static String dockerEnv(String name) throws IOException {
        Matcher env = Pattern.compile("^ENV " + name + "=\"?([^\"]*)\"?$").matcher("");
        return DockerfilesTest.instructions("Dockerfile.jvm").stream().filter(l -> env.reset(l).matches())
                .map(l -> env.group(1)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("Dockerfile.jvm sets no " + name));
    }

    static String benchDefault(String variable, String environment) throws IOException {
        Matcher line = Pattern.compile("^" + variable + "=\\$\\{" + environment + ":-\"?([^\"}]*)\"?}$").matcher("");
        return Files.readAllLines(Path.of("bench/run.sh")).stream().map(String::strip)
                .filter(l -> line.reset(l).matches()).map(l -> line.group(1)).findFirst()
                .orElseThrow(() -> new AssertionError("bench/run.sh has no default for " + variable));
    }

    @Test
    void the_image_the_deployment_and_the_harness_run_the_same_jvm_flags() throws IOException {
        List<String> image = jvmFlags(dockerEnv("JAVA_OPTS"));
        assertThat(image).as("the image's flags").isNotEmpty().anyMatch(f -> f.startsWith("-Xmx"));
        assertThat(jvmFlags(env("JAVA_OPTS"))).as("the Deployment's").isEqualTo(image);
        assertThat(jvmFlags(benchDefault("jvm_opts", "MESHGUARD_JVM_OPTS"))).as("bench/run.sh's").isEqualTo(image);
    }

    static final String SERVER_SUITES = "-Djdk.tls.server.cipherSuites=";

    /**
     * The JDK security properties the flags override (the keystore rounds at start, the server's TLS preference;
     * BENCHMARKS.md): measured where they run.
     */
    static List<String> securityOverrides(String options) {
        return Arrays.stream(options.strip().split("\\s+"))
                .filter(o -> o.startsWith("-Dkeystore.") || o.startsWith("-Djdk.tls.")).toList();
    }

    @Test
    void and_the_same_security_overrides() throws IOException {
        List<String> image = securityOverrides(dockerEnv("JAVA_OPTS"));
        assertThat(image).as("the image's").contains("-Dkeystore.pkcs12.keyPbeIterationCount=1")
                .anyMatch(o -> o.startsWith(SERVER_SUITES));
        assertThat(securityOverrides(env("JAVA_OPTS"))).as("the Deployment's").isEqualTo(image);
        assertThat(securityOverrides(benchDefault("jvm_opts", "MESHGUARD_JVM_OPTS"))).as("bench/run.sh's")
                .isEqualTo(image);
    }

    /**
     * ChaCha20 first, because under C1 AES-GCM runs as plain Java; but every TLS 1.3 client must implement
     * TLS_AES_128_GCM_SHA256 (RFC 8446, section 9.1) and a FIPS client offers nothing else, so it must stay. The
     * tests' server prefers the same ({@code CipherPreferenceTest}).
     */
    @Test
    void the_server_prefers_chacha20_and_keeps_the_suite_every_tls13_client_has() throws IOException {
        String suites = securityOverrides(dockerEnv("JAVA_OPTS")).stream().filter(o -> o.startsWith(SERVER_SUITES))
                .findFirst().orElseThrow().substring(SERVER_SUITES.length());
        assertThat(suites.split(",")).startsWith("TLS_CHACHA20_POLY1305_SHA256").contains("TLS_AES_128_GCM_SHA256");
        assertThat(Files.readString(Path.of("pom.xml")))
                .as("the tests' server (surefire's system properties)")
                .contains("<jdk.tls.server.cipherSuites>" + suites + "</jdk.tls.server.cipherSuites>");
    }

    @Test
    void and_the_same_malloc_arenas() throws IOException {
        String image = dockerEnv("MALLOC_ARENA_MAX");
        assertThat(env("MALLOC_ARENA_MAX")).isEqualTo(image);
        assertThat(benchDefault("export MALLOC_ARENA_MAX", "MALLOC_ARENA_MAX")).isEqualTo(image);
    }

    @Test
    void the_deployment_keeps_the_image_options_the_flags_replace() throws IOException {
        // JAVA_OPTS replaces all of run-java.sh's options: what the image needs must be in it.
        assertThat(env("JAVA_OPTS")).isEqualTo(dockerEnv("JAVA_OPTS")).contains("-Dquarkus.http.host=0.0.0.0");
    }

    @Test
    void heap_and_code_cache_fit_in_the_memory_request() {
        long heap = 0;
        long codeCache = 0;
        for (String flag : jvmFlags(env("JAVA_OPTS"))) {
            if (flag.startsWith("-Xmx")) {
                heap = mebibytes(flag.substring(4));
            } else if (flag.startsWith("-XX:ReservedCodeCacheSize=")) {
                codeCache = mebibytes(flag.substring("-XX:ReservedCodeCacheSize=".length()));
            }
        }
        long request = Quantity.getAmountInBytes(container.getResources().getRequests().get("memory")).longValue() >> 20;
        assertThat(heap + codeCache).as("-Xmx + code cache (MiB), with room for metaspace and threads").isPositive()
                .isLessThanOrEqualTo(request * 3 / 4);
    }

    static long mebibytes(String size) {
        char unit = Character.toLowerCase(size.charAt(size.length() - 1));
        long value = Long.parseLong(Character.isDigit(unit) ? size : size.substring(0, size.length() - 1));
        return switch (unit) {
            case 'g' -> value << 10;
            case 'm' -> value;
            case 'k' -> value >> 10;
            default -> value >> 20;
        };
    }
}
