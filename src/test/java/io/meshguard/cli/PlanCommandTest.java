package io.meshguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.meshguard.companions.Companions;
import io.meshguard.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline plan printer: what it prints is valid multi-document YAML with exactly the planned objects. */
class PlanCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void prints_the_companions_of_each_entry_as_yaml_with_the_annotation_and_the_reasons_as_comments()
            throws Exception {
        int status = run("src/test/resources/plan/entries.yaml");

        assertThat(status).isEqualTo(PlanCommand.OK);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("# ServiceEntry default/external-svc-codecommit: meshguard.io/companions: "
                + "VirtualService/external-svc-codecommit-sni");
        assertThat(printed).contains("# ServiceEntry test/baidu: meshguard.io/companions: "
                + "Gateway/baidu-egress,VirtualService/baidu-egress");
        assertThat(printed).contains("# ServiceEntry ci/github: meshguard.io/companions: (none)");
        assertThat(printed).contains("# No SNI route for github.com: VirtualService ci/github-routes already routes it");

        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = Fixtures.YAML.readerFor(JsonNode.class).readValues(printed)) {
            it.forEachRemaining(d -> {
                if (!d.isNull() && !d.isMissingNode()) {
                    documents.add(d);
                }
            });
        }
        assertThat(documents.stream().map(Companions::reference).toList()).containsExactly(
                "VirtualService/external-svc-codecommit-sni", "Gateway/baidu-egress", "VirtualService/baidu-egress");
        assertThat(documents.get(0).path("spec").path("tls").get(0).path("match").get(0).path("sniHosts").get(0)
                .asText()).isEqualTo("git-codecommit.ap-southeast-1.amazonaws.com");
        assertThat(documents.get(1).path("spec").path("servers").size()).as("HTTP and TLS servers").isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void without_arguments_prints_usage() {
        assertThat(run()).isEqualTo(PlanCommand.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Usage: meshguard plan");
        assertThat(out.size()).isZero();
    }

    @Test
    void an_unreadable_file_or_entry_is_reported_and_fails(@TempDir Path dir) throws Exception {
        assertThat(run(dir.resolve("missing.yaml").toString())).isEqualTo(PlanCommand.UNREADABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.yaml: no such file or folder");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "kind: ServiceEntry\nmetadata: {name: x}\nspec: {ports: [{number: high}]}\n");
        err.reset();
        assertThat(run(broken.toString())).isEqualTo(PlanCommand.UNREADABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("ServiceEntry x: spec.ports[0].number must be an integer");
    }

    @Test
    void reads_stdin() {
        byte[] entries = "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: web}\n"
                .concat("spec: {hosts: [web.example.com], ports: [{number: 443, name: https, protocol: HTTPS}], ")
                .concat("resolution: DNS}\n").getBytes(StandardCharsets.UTF_8);
        assertThat(Meshguard.run(new String[] {"plan", "-"}, new ByteArrayInputStream(entries), writer(out),
                writer(err))).isEqualTo(PlanCommand.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("# ServiceEntry default/web: meshguard.io/companions: "
                + "VirtualService/web-sni");
    }

    private int run(String... args) {
        String[] line = new String[args.length + 1];
        line[0] = "plan";
        System.arraycopy(args, 0, line, 1, args.length);
        return Meshguard.run(line, new ByteArrayInputStream(new byte[0]), writer(out), writer(err));
    }

    private static PrintWriter writer(ByteArrayOutputStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
