package io.meshguard.cli;

import static io.meshguard.cli.CheckRuns.exits;
import static io.meshguard.cli.CheckRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.cli.CheckRuns.Case;
import io.meshguard.cli.CheckRuns.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code meshguard check} as a table of command lines: the arguments, what stdin holds, the exit status, and what
 * stdout (findings) and stderr (diagnostics) say. Inputs are under {@code src/test/resources/check}; {@code TMP/}
 * in an argument is a folder of files the case writes first.
 */
class CheckCommandTest {

    static final String CHECK = "src/test/resources/check/";
    static final String SEED001 = CHECK + "seed001";

    static String seed001Stream() {
        try {
            return Files.readString(Path.of(SEED001, "01-hwcloud.yaml")) + "---\n"
                    + Files.readString(Path.of(SEED001, "02-github.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                exits(1, "seed 001 pair: the second is denied and hwcloud named as keeping the listener",
                        "check", "-f", SEED001)
                        .expectOut(SEED001 + "/02-github.yaml:1: DENY ns1/github [ListenerCollision] ",
                                "ns2/hwcloud's host www.huaweicloud.com keeps the listener",
                                SEED001 + "/01-hwcloud.yaml:1: WARN ns2/hwcloud [IST0134] ")
                        .expectNotOut("DENY ns2/hwcloud")
                        .expectErr("2 ServiceEntries in 2 files: 1 denied, 2 warnings"),
                exits(1, "stdin, as kustomize build . | meshguard check -f - feeds it", "check", "-f", "-")
                        .stdin(seed001Stream())
                        .expectOut("<stdin>:", "DENY ns1/github [ListenerCollision]", "ns2/hwcloud's host www.huaweicloud.com keeps the listener"),
                exits(0, "a clean set: nothing found, its SNI VirtualService reviewed too", "check", "-f",
                        CHECK + "clean")
                        .expectNotOut("DENY", "WARN")
                        .expectErr("3 ServiceEntries, 1 VirtualService in 1 files: 0 denied, 0 warnings"),
                exits(0, "warnings alone exit 0 by default", "check", "-f", SEED001 + "/01-hwcloud.yaml")
                        .expectOut("WARN ns2/hwcloud [IST0134]"),
                exits(3, "warnings alone exit 3 with --fail-on warning", "check", "--fail-on", "warning",
                        "-f", SEED001 + "/01-hwcloud.yaml")
                        .expectOut("WARN ns2/hwcloud [IST0134]"),
                exits(1, "a manifest is judged against the cluster state", "check",
                        "--cluster-state", CHECK + "cluster/seed001-hwcloud.yaml", "-f", SEED001 + "/02-github.yaml")
                        .expectOut("DENY ns1/github [ListenerCollision]", "ns2/hwcloud's host www.huaweicloud.com keeps the listener")
                        .expectErr("against 1 in the cluster"),
                exits(0, "an entry in the cluster and the manifests is an UPDATE: its old collision only warns",
                        "check", "-o", "json", "--cluster-state", CHECK + "cluster/seed001-both.yaml",
                        "-f", SEED001 + "/02-github.yaml")
                        .expectOut("\"operation\" : \"UPDATE\"", "\"severity\" : \"WARN\"",
                                "Pre-existing collision, not introduced by this edit")
                        .expectNotOut("\"severity\" : \"DENY\""),
                exits(0, "the mesh config's default export and DNS auto-allocation apply", "check",
                        "--mesh-config", CHECK + "mesh/istio-configmap-export-own-namespace.yaml", "-f", SEED001)
                        .expectNotOut("DENY", "IST0134"),
                exits(1, "istiod's own validation denies, with the field, from a JSON manifest", "check",
                        "-f", CHECK + "invalid")
                        .expectOut("port-without-name.json:1: DENY shop/payments [InvalidPorts] spec.ports[0].name: "
                                + "invalid port name: "),
                exits(0, "two manifests with only generateName in one namespace are two CREATEs, not an UPDATE (IST0134 shows each)",
                        "check", "-o", "json", "-f", "TMP/")
                        .file("generated.yaml", "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                                + "metadata: {generateName: web-, namespace: b}\n"
                                + "spec: {hosts: [a.example.com], ports: [{number: 5432, name: tcp, protocol: TCP}]}\n"
                                + "---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                                + "metadata: {generateName: web-, namespace: b}\n"
                                + "spec: {hosts: [b.example.com], ports: [{number: 5433, name: tcp, protocol: TCP}]}\n")
                        .expectOut("\"operation\" : \"CREATE\"")
                        .expectNotOut("\"operation\" : \"UPDATE\""),
                exits(2, "a missing input is unreadable", "check", "-f", CHECK + "nowhere.yaml")
                        .expectErr("nowhere.yaml: no such file or folder", "1 unreadable inputs"),
                exits(2, "broken YAML is named by file and line", "check", "-f", "TMP/")
                        .file("broken.yaml", "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                                + "metadata: {name: a, namespace: b}\nspec: {hosts: [a.example.com]\n")
                        .expectErr("broken.yaml:4: not valid YAML"),
                exits(2, "a key twice in one mapping is an error", "check", "-f", "TMP/")
                        .file("twice.yaml", "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\n"
                                + "metadata: {name: a, namespace: b}\nspec:\n  hosts: [a.example.com]\n"
                                + "  hosts: [b.example.com]\n")
                        .expectErr("twice.yaml", "Duplicate field 'hosts'"),
                exits(2, "a ServiceEntry of another API group cannot be applied", "check", "-f", "TMP/")
                        .file("group.yaml", "apiVersion: v1\nkind: ServiceEntry\nmetadata: {name: a}\n")
                        .expectErr("group.yaml:1: ServiceEntry ?/a has apiVersion 'v1'"),
                exits(2, "an unreadable ServiceEntry in the cluster state is named", "check",
                        "--cluster-state", "TMP/", "-f", SEED001)
                        .file("cluster.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1\n"
                                + "  kind: ServiceEntry\n  metadata: {name: a, namespace: b}\n"
                                + "  spec: {ports: [{number: many}]}\n")
                        .expectErr("cluster.yaml:1: items[0]: ServiceEntry b/a: spec.ports[0].number must be an integer"),
                exits(2, "-f is required", "check").expectErr("Missing required option"),
                exits(2, "an unknown format is a usage error", "check", "-o", "xml", "-f", SEED001)
                        .expectErr("-o takes text, json, junit or sarif"),
                exits(2, "stdin only once", "check", "-f", "-", "--cluster-state", "-")
                        .expectErr("stdin (-) can be read only once"),
                exits(2, "an unknown option is a usage error", "check", "--frobnicate", "-f", SEED001)
                        .expectErr("Unknown option: '--frobnicate'"),
                exits(2, "a command is required", new String[0]).expectErr("a command is required"));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exits_and_reports_as_the_table_says(Case c) throws IOException {
        CheckRuns.assertAsTheTableSays(c, tmp);
    }

    @Test
    void the_text_says_what_the_webhook_says() throws IOException {
        JsonNode webhook = new ObjectMapper().readTree(Path.of("src/test/resources/reviews/seed001-github-create.response.json")
                .toFile());
        String denial = webhook.path("response").path("status").path("message").asText();
        assertThat(denial).isNotBlank();

        Run run = run("", "check", "-f", SEED001);

        assertThat(run.out().lines().filter(l -> l.contains("DENY")).toList())
                .containsExactly(SEED001 + "/02-github.yaml:1: DENY ns1/github [ListenerCollision] " + denial);
    }

    @Test
    void findings_go_to_stdout_and_diagnostics_to_stderr() {
        Run run = run("", "check", "-f", SEED001, "-f", CHECK + "nowhere.yaml");
        assertThat(run.status()).isEqualTo(CheckCommand.UNREADABLE);
        assertThat(run.out()).contains("DENY ns1/github").doesNotContain("nowhere.yaml").doesNotContain("meshguard check:");
        assertThat(run.err()).contains("nowhere.yaml").contains("meshguard check:").doesNotContain("DENY");
    }
}
