package io.meshguard.companions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.decode.VirtualServiceReader;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints the companions the controller would apply for the ServiceEntries in some YAML files, without a
 * cluster, using the default settings. VirtualServices in the same files stand for those already in the
 * cluster. Needs no CDI and no cluster; docs/companions.md gives the command line.
 */
public final class PlanCommand {

    static final int OK = 0;
    static final int UNREADABLE = 1;
    static final int USAGE = 2;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private PlanCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("usage: PlanCommand FILE.yaml...  (ServiceEntries to plan; VirtualServices already in the "
                    + "cluster may be given in the same files)");
            return USAGE;
        }
        List<JsonNode> entries = new ArrayList<>();
        List<RoutingVirtualService> virtualServices = new ArrayList<>();
        for (String file : args) {
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(Path.of(file).toFile())) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    switch (document.path("kind").asText()) {
                        case "ServiceEntry" -> entries.add(document);
                        case "VirtualService" -> virtualServices.add(VirtualServiceReader.read(withNamespace(document)));
                        default -> { }
                    }
                }
            } catch (IOException | RuntimeException e) {
                err.println(file + ": cannot read: " + e.getMessage());
                return UNREADABLE;
            }
        }
        CompanionPlanner planner = new CompanionPlanner(CompanionSettings.DEFAULT);
        for (JsonNode document : entries) {
            ServiceEntryFacts entry;
            try {
                entry = ServiceEntryReader.read(document, "default", 0);
            } catch (MalformedObjectException e) {
                err.println("ServiceEntry " + document.path("metadata").path("name").asText("?") + ": " + e.getMessage());
                return UNREADABLE;
            }
            Plan plan = planner.plan(entry, virtualServices, MeshConfig.DEFAULT);
            out.println("# ServiceEntry " + entry.key() + ": meshguard.io/companions: "
                    + (plan.annotationValue().isEmpty() ? "(none)" : plan.annotationValue()));
            plan.notes().forEach(note -> out.println("# " + note));
            plan.yields().forEach(yield -> out.println("# " + yield.message()));
            for (ObjectNode object : plan.objects()) {
                out.println("---");
                out.print(yaml(object));
            }
        }
        return OK;
    }

    /** An object read from a file without a namespace lands in {@code default}, as kubectl would put it. */
    private static JsonNode withNamespace(JsonNode document) {
        if (document.path("metadata").path("namespace").asText("").isEmpty() && document.path("metadata").isObject()) {
            ObjectNode copy = document.deepCopy();
            ((ObjectNode) copy.get("metadata")).put("namespace", "default");
            return copy;
        }
        return document;
    }

    static String yaml(JsonNode object) {
        try {
            return YAML.writeValueAsString(object);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always writes as YAML", e);
        }
    }
}
