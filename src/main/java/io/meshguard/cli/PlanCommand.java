package io.meshguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.companions.Plan;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.decode.VirtualServiceReader;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshguard plan}: prints the companions the controller would apply for the ServiceEntries in some manifests,
 * without a cluster, with the default settings. VirtualServices in the same manifests stand for those already in the
 * cluster. Reads its input as {@code check} does ({@link ManifestLoader}).
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {
            "Prints, for each ServiceEntry, the meshguard.io/companions annotation, the reasons for what is not"
                    + " planned (as # comments), then the companions as multi-document YAML, with the default"
                    + " settings. VirtualServices in the same files stand for those already in the cluster.",
            "An entry without a namespace is planned in default; one without a uid gets no ownerReference."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:planned", "1:an unreadable file or entry", "2:usage error"})
public final class PlanCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int UNREADABLE = 1;
    static final int USAGE = 2;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR|-",
            description = "Manifests with ServiceEntries (and VirtualServices already in the cluster).")
    List<String> files = new ArrayList<>();

    private final InputStream stdin;

    public PlanCommand() {
        this(System.in);
    }

    PlanCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<JsonNode> entries = new ArrayList<>();
        List<RoutingVirtualService> virtualServices = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        ManifestLoader.Scan scan = new ManifestLoader().scan(files, stdin, (file, line, where, object) -> {
            switch (object.path("kind").asText()) {
                case "ServiceEntry" -> entries.add(object);
                case "VirtualService" -> {
                    try {
                        virtualServices.add(VirtualServiceReader.read(withNamespace(object)));
                    } catch (RuntimeException e) {
                        unreadable.add(Reports.place(file, line) + ": " + where + "VirtualService: " + e.getMessage());
                    }
                }
                default -> {
                    return false;
                }
            }
            return true;
        });
        scan.problems().forEach(problem -> unreadable.add(problem.toString()));
        if (!unreadable.isEmpty()) {
            unreadable.forEach(err::println);
            return UNREADABLE;
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
        out.flush();
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
