package io.meshguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * {@code -o junit} and {@code -o sarif} validate against their schemas (shipped under
 * {@code src/test/resources/schemas}, sources in SOURCES.md): JUnit XML against the Ant JUnit XSD, SARIF against the
 * SARIF 2.1.0 JSON schema; for a run with denials and warnings, a clean run, and one with unreadable input. And they
 * say what the text says: as many failures, results and errors as there are denials, findings and problems.
 */
class ReportSchemasTest {

    record Input(String name, List<String> args, int denied, int findings, int problems) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Input> inputs() {
        return Stream.of(
                new Input("seed 001: a denial and warnings", List.of("-f", CheckCommandTest.SEED001), 1, 3, 0),
                new Input("a clean set", List.of("-f", CheckCommandTest.CHECK + "clean"), 0, 0, 0),
                new Input("an input that cannot be read", List.of("-f", CheckCommandTest.SEED001,
                        "-f", CheckCommandTest.CHECK + "nowhere.yaml"), 1, 3, 1),
                new Input("istiod's validation", List.of("-f", CheckCommandTest.CHECK + "invalid"), 1, 1, 0),
                new Input("a Gateway denied and a VirtualService warned about", List.of("-f",
                        GatewayCheckTest.SEED002, "-f", CheckCommandTest.CHECK + "gateway"), 1, 2, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void junit_validates_against_the_ant_junit_xsd(Input input) throws Exception {
        CheckRuns.Run run = CheckRuns.run("", args("junit", input));
        assertThat(run.out()).startsWith("<?xml");

        Validator validator = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(Path.of("src/test/resources/schemas/junit-ant.xsd").toFile()).newValidator();
        validator.validate(new StreamSource(new StringReader(run.out())));
        // The check can fail: without the hostname the schema requires, the same report is refused.
        String broken = run.out().replace(" hostname=\"localhost\"", "");
        assertThat(broken).isNotEqualTo(run.out());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> validator.validate(new StreamSource(new StringReader(broken))))
                .isInstanceOf(org.xml.sax.SAXException.class);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        Document xml = factory.newDocumentBuilder().parse(new InputSource(new StringReader(run.out())));
        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(Integer.parseInt(suite.getAttribute("failures"))).isEqualTo(input.denied());
        assertThat(Integer.parseInt(suite.getAttribute("errors"))).isEqualTo(input.problems());
        assertThat(xml.getElementsByTagName("failure").getLength()).isEqualTo(input.denied());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void sarif_validates_against_the_sarif_2_1_0_schema(Input input) throws IOException {
        CheckRuns.Run run = CheckRuns.run("", args("sarif", input));

        Schema schema;
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/schemas/sarif-schema-2.1.0.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
        List<Error> errors = schema.validate(run.out(), InputFormat.JSON);
        assertThat(errors).as("SARIF schema violations").isEmpty();

        JsonNode sarif = new ObjectMapper().readTree(run.out());
        JsonNode results = sarif.path("runs").path(0).path("results");
        assertThat(results.size()).isEqualTo(input.findings());
        assertThat(results.findValuesAsText("level").stream().filter("error"::equals).count())
                .isEqualTo(input.denied());
        JsonNode invocation = sarif.path("runs").path(0).path("invocations").path(0);
        assertThat(invocation.path("executionSuccessful").asBoolean()).isEqualTo(input.problems() == 0);
        assertThat(invocation.path("toolExecutionNotifications").size()).isEqualTo(input.problems());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    void sarif_fails_validation_when_broken(Input input) throws IOException {
        // The schema check can fail: a result without its message is refused.
        CheckRuns.Run run = CheckRuns.run("", args("sarif", input));
        com.fasterxml.jackson.databind.node.ObjectNode sarif =
                (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(run.out());
        sarif.put("version", "2.0.9");
        Schema schema;
        try (InputStream in = Files.newInputStream(Path.of("src/test/resources/schemas/sarif-schema-2.1.0.json"))) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
        assertThat(schema.validate(sarif.toString(), InputFormat.JSON)).isNotEmpty();
    }

    private static String[] args(String format, Input input) {
        return Stream.concat(Stream.of("check", "-o", format), input.args().stream()).toArray(String[]::new);
    }
}
