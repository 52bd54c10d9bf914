package io.meshguard.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.Severity;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** {@code meshguard check}'s findings in its four formats. Only findings go to the stream given; diagnostics do not. */
final class Reports {

    enum Format {
        TEXT, JSON, JUNIT, SARIF
    }

    static final String TOOL = "meshguard";
    static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    /** The rule id of an input that could not be read, in the reports that list those. */
    static final String UNREADABLE = "UnreadableInput";

    /** Made for the JSON and SARIF formats only: Jackson takes a while to start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** One finding where it was found. */
    record Located(Check.Reviewed entry, Finding finding) {

        Severity severity() {
            return finding.severity();
        }
    }

    private Reports() {
    }

    static void write(Format format, Check.Result result, boolean failOnWarning, PrintWriter out) {
        switch (format) {
            case TEXT -> text(result, out);
            case JSON -> out.println(json(result));
            case JUNIT -> out.print(junit(result, failOnWarning));
            case SARIF -> out.println(sarif(result));
        }
        out.flush();
    }

    static List<Located> findings(Check.Result result) {
        List<Located> findings = new ArrayList<>();
        for (Check.Reviewed entry : result.reviewed()) {
            entry.decision().denials().forEach(f -> findings.add(new Located(entry, f)));
            entry.decision().warnings().forEach(f -> findings.add(new Located(entry, f)));
        }
        return findings;
    }

    /** {@code file:line: DENY namespace/name [code] message}, one finding a line (more lines indented). */
    static void text(Check.Result result, PrintWriter out) {
        for (Located located : findings(result)) {
            Check.Reviewed entry = located.entry();
            out.println(place(entry.file(), entry.line()) + ": " + located.severity() + " " + entry.key() + " ["
                    + located.finding().code() + "] " + entry.where()
                    + located.finding().message().replace("\n", "\n    "));
        }
    }

    static String place(Path file, int line) {
        return line > 0 ? file + ":" + line : file.toString();
    }

    static String json(Check.Result result) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode findings = root.putArray("findings");
        for (Located located : findings(result)) {
            Check.Reviewed entry = located.entry();
            Finding finding = located.finding();
            ObjectNode node = findings.addObject();
            node.put("file", entry.file().toString());
            node.put("line", entry.line());
            node.put("kind", entry.kind());
            node.put("namespace", entry.key().namespace());
            node.put("name", entry.key().name());
            node.put("operation", entry.operation().name());
            node.put("severity", finding.severity().name());
            node.put("code", finding.code());
            node.put("field", finding.field());
            node.put("message", finding.message());
            if (finding.other() != null) {
                node.put("other", finding.other().toString());
            }
            ArrayNode causes = node.putArray("causes");
            for (Cause cause : finding.causes()) {
                causes.addObject().put("reason", cause.reason()).put("field", cause.field())
                        .put("message", cause.message());
            }
        }
        ArrayNode problems = root.putArray("problems");
        for (ManifestLoader.Problem problem : result.problems()) {
            problems.addObject().put("file", problem.file().toString()).put("line", problem.line())
                    .put("message", problem.message());
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("entries", result.reviewed().size());
        summary.put("denied", result.reviewed().stream().filter(r -> !r.decision().allowed()).count());
        summary.put("warnings", result.reviewed().stream().mapToInt(r -> r.decision().warnings().size()).sum());
        summary.put("clusterEntries", result.clusterEntries());
        summary.put("files", result.files());
        return write(root);
    }

    /**
     * JUnit XML as CI servers read it (the Ant schema): one test case per ServiceEntry, failed by its denials; an
     * input that could not be read is an errored case. Warnings fail a case only when {@code failOnWarning}; they
     * are listed in the suite's {@code system-out} either way.
     */
    static String junit(Check.Result result, boolean failOnWarning) {
        StringWriter text = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(text);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeStartElement("testsuites");
            xml.writeStartElement("testsuite");
            xml.writeAttribute("package", TOOL);
            xml.writeAttribute("id", "0");
            xml.writeAttribute("name", "meshguard check");
            xml.writeAttribute("timestamp",
                    LocalDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME));
            xml.writeAttribute("hostname", "localhost");
            int failures = 0;
            for (Check.Reviewed entry : result.reviewed()) {
                if (!entry.decision().allowed() || (failOnWarning && !entry.decision().warnings().isEmpty())) {
                    failures++;
                }
            }
            xml.writeAttribute("tests", Integer.toString(result.reviewed().size() + result.problems().size()));
            xml.writeAttribute("failures", Integer.toString(failures));
            xml.writeAttribute("errors", Integer.toString(result.problems().size()));
            xml.writeAttribute("time", "0");
            xml.writeEmptyElement("properties");
            StringBuilder warnings = new StringBuilder();
            for (Check.Reviewed entry : result.reviewed()) {
                xml.writeStartElement("testcase");
                xml.writeAttribute("name", entry.kind() + " " + entry.key());
                xml.writeAttribute("classname", place(entry.file(), entry.line()));
                xml.writeAttribute("time", "0");
                List<Finding> failing = new ArrayList<>(entry.decision().denials());
                if (failOnWarning) {
                    failing.addAll(entry.decision().warnings());
                }
                if (!failing.isEmpty()) {
                    xml.writeStartElement("failure");
                    xml.writeAttribute("type", failing.get(0).severity() + " " + failing.get(0).code());
                    xml.writeAttribute("message", failing.get(0).message().lines().findFirst().orElse(""));
                    StringBuilder body = new StringBuilder();
                    for (Finding finding : failing) {
                        body.append(finding.severity()).append(" [").append(finding.code()).append("] ")
                                .append(finding.message()).append('\n');
                    }
                    xml.writeCharacters(body.toString());
                    xml.writeEndElement();
                }
                xml.writeEndElement();
                for (Finding warning : entry.decision().warnings()) {
                    warnings.append(place(entry.file(), entry.line())).append(": WARN ").append(entry.key())
                            .append(" [").append(warning.code()).append("] ").append(warning.message()).append('\n');
                }
            }
            for (ManifestLoader.Problem problem : result.problems()) {
                xml.writeStartElement("testcase");
                xml.writeAttribute("name", "read " + problem.file().getFileName());
                xml.writeAttribute("classname", place(problem.file(), problem.line()));
                xml.writeAttribute("time", "0");
                xml.writeStartElement("error");
                xml.writeAttribute("type", UNREADABLE);
                xml.writeAttribute("message", problem.message());
                xml.writeCharacters(problem.toString());
                xml.writeEndElement();
                xml.writeEndElement();
            }
            xml.writeStartElement("system-out");
            xml.writeCharacters(warnings.toString());
            xml.writeEndElement();
            xml.writeEmptyElement("system-err");
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("a JUnit report of strings always writes", e);
        }
        return text + "\n";
    }

    /**
     * SARIF 2.1.0, as code-scanning services read it: one result per finding (a denial is an {@code error}, a
     * warning a {@code warning}), located by file and line; inputs that could not be read are tool execution
     * notifications, and make the invocation unsuccessful.
     */
    static String sarif(Check.Result result) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", TOOL);
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        ArrayNode results = run.putArray("results");
        for (Located located : findings(result)) {
            Finding finding = located.finding();
            Integer index = ruleIndex.get(finding.code());
            if (index == null) {
                index = ruleIndex.size();
                ruleIndex.put(finding.code(), index);
                ObjectNode rule = rules.addObject();
                rule.put("id", finding.code());
                rule.putObject("shortDescription").put("text", describeRule(finding.code()));
            }
            ObjectNode node = results.addObject();
            node.put("ruleId", finding.code());
            node.put("ruleIndex", index);
            node.put("level", finding.severity() == Severity.DENY ? "error" : "warning");
            node.putObject("message").put("text", located.entry().kind() + " " + located.entry().key() + ": "
                    + finding.message());
            location(node.putArray("locations").addObject(), located.entry().file(), located.entry().line());
        }
        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", result.problems().isEmpty());
        if (!result.problems().isEmpty()) {
            ArrayNode notifications = invocation.putArray("toolExecutionNotifications");
            for (ManifestLoader.Problem problem : result.problems()) {
                ObjectNode notification = notifications.addObject();
                notification.putObject("descriptor").put("id", UNREADABLE);
                notification.put("level", "error");
                notification.putObject("message").put("text", problem.message());
                location(notification.putArray("locations").addObject(), problem.file(), problem.line());
            }
        }
        return write(root);
    }

    private static void location(ObjectNode location, Path file, int line) {
        ObjectNode physical = location.putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(file));
        if (line > 0) {
            physical.putObject("region").put("startLine", line);
        }
    }

    /** A relative URI reference for a path as given on the command line. */
    static String uri(Path file) {
        String path = file.toString().replace('\\', '/');
        try {
            return new URI(null, null, path, null).toASCIIString();
        } catch (URISyntaxException e) {
            return path.replaceAll("[^A-Za-z0-9._~/-]", "_");
        }
    }

    private static String describeRule(String code) {
        return switch (code) {
            case "IST0134" -> "ServiceEntry addresses are required for TCP or unset protocol (istioctl IST0134)";
            case "IST0177" -> "Several ServiceEntries declare one host and port with different protocols (istioctl IST0177)";
            case "ConflictingGateways" -> "Two Gateways serve one host on one port of one gateway workload (istioctl IST0145)";
            case "GatewayServerDropped" -> "istiod drops this Gateway server when it merges the workload's Gateways";
            case "GatewayNotFound" -> "A VirtualService is bound to a Gateway that does not exist (istioctl IST0101)";
            case "VirtualServiceHostNotInGateway" -> "No host of the VirtualService is served by its Gateway (istioctl IST0132)";
            case "ConflictingMeshGatewayHosts" -> "Two VirtualServices route one host on mesh (istioctl IST0109)";
            default -> code.startsWith("Invalid") ? "istiod's per-object ServiceEntry validation: "
                    + code.substring("Invalid".length()).toLowerCase(Locale.ROOT)
                    : "meshguard rule " + code;
        };
    }

    private static String write(ObjectNode root) {
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }
}
