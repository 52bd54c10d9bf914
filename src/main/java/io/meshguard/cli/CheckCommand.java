package io.meshguard.cli;

import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.mesh.MeshConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshguard check}: what the webhook would say to {@code kubectl apply} of some manifests, without a cluster. */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Reviews the ServiceEntries of some manifests as meshguard's validating webhook would on kubectl apply:"
                    + " istiod's own validation, then the listener rules against the cluster's entries and the"
                    + " manifests before them, in file order.",
            "Istio Gateways are reviewed the same way (a conflict denies); VirtualServices after every Gateway"
                    + " (routes that go nowhere warn).",
            "Other kinds are skipped. Findings go to stdout, diagnostics to stderr."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:nothing found (or warnings only, without --fail-on warning)",
            "1:meshguard denies at least one entry",
            "2:usage error, or an input that cannot be read (named with its file and line)",
            "3:warnings only, with --fail-on warning"})
public final class CheckCommand implements Callable<Integer> {

    public static final int OK = 0;
    public static final int DENIED = 1;
    public static final int UNREADABLE = 2;
    public static final int WARNINGS = 3;

    enum FailOn {
        DENY, WARNING;
    }

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "Manifests: a file, a folder (read recursively: *.yaml, *.yml, *.json) or - for stdin. "
                    + "Multi-document YAML, JSON and kind: List are read. Repeatable; read in order.")
    List<String> files = new ArrayList<>();

    @Option(names = "--cluster-state", paramLabel = "FILE|DIR|-",
            description = "The cluster's ServiceEntries (and Gateways, VirtualServices), as kubectl get "
                    + "serviceentries,gateways,virtualservices -A -o yaml prints them. "
                    + "The manifests are newer; one with the namespace/name of a cluster entry is an UPDATE of it. "
                    + "Repeatable.")
    List<String> clusterState = new ArrayList<>();

    @Option(names = "--mesh-config", paramLabel = "FILE",
            description = "Istio's mesh config: the istio ConfigMap (kubectl get configmap istio -n istio-system -o "
                    + "yaml) or the MeshConfig YAML. Default: Istio's defaults.")
    Path meshConfig;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", paramLabel = "NAMESPACE",
            description = "The namespace of a manifest that names none (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "text", paramLabel = "FORMAT",
            description = "text, json, junit or sarif (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = "--fail-on", defaultValue = "deny", paramLabel = "LEVEL",
            description = "deny (default) or warning: with warning, warnings alone exit 3.")
    String failOn;

    private final InputStream stdin;

    public CheckCommand() {
        this(System.in);
    }

    CheckCommand(InputStream stdin) {
        this.stdin = stdin;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Reports.Format format;
        FailOn threshold;
        try {
            format = Reports.Format.valueOf(output.toUpperCase(Locale.ROOT));
            threshold = FailOn.valueOf(failOn.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("meshguard check: -o takes text, json, junit or sarif; --fail-on takes deny or warning");
            return UNREADABLE;
        }
        if (files.stream().filter("-"::equals).count() + clusterState.stream().filter("-"::equals).count() > 1) {
            err.println("meshguard check: stdin (-) can be read only once");
            return UNREADABLE;
        }
        MeshConfig mesh = MeshConfig.DEFAULT;
        if (meshConfig != null) {
            try {
                mesh = MeshConfigFile.read(meshConfig);
            } catch (IOException | MalformedObjectException e) {
                err.println(meshConfig + ": " + e.getMessage());
                return UNREADABLE;
            }
        }
        Check.Result result = new Check(mesh, namespace).run(files, clusterState, stdin);
        Reports.write(format, result, threshold == FailOn.WARNING, out);
        for (ManifestLoader.Problem problem : result.problems()) {
            err.println(problem);
        }
        long denied = result.reviewed().stream().filter(r -> !r.decision().allowed()).count();
        int warnings = result.reviewed().stream().mapToInt(r -> r.decision().warnings().size()).sum();
        err.println("meshguard check: " + GatewayCheck.counted(result.reviewed()) + " in " + result.files()
                + " files" + (clusterState.isEmpty() ? "" : ", against " + result.clusterEntries() + " in the cluster")
                + ": " + denied + " denied, " + warnings + " warnings"
                + (result.problems().isEmpty() ? "" : ", " + result.problems().size() + " unreadable inputs")
                + (result.otherKinds() > 0 ? "; " + result.otherKinds() + " objects of other kinds skipped" : ""));
        err.flush();
        if (!result.problems().isEmpty()) {
            return UNREADABLE;
        }
        if (denied > 0) {
            return DENIED;
        }
        return warnings > 0 && threshold == FailOn.WARNING ? WARNINGS : OK;
    }
}
