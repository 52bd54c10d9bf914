package io.meshguard.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code meshguard serve}: the webhook server. The server is the Quarkus application, whose entry point stays the
 * jar's ({@code java -jar target/quarkus-app/quarkus-run.jar}); this starts that in a child process with the same
 * Java, passing the arguments on, and exits with its status. The command line itself never starts the HTTP server.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the webhook server: java -jar <quarkus-app>/quarkus-run.jar [ARGS...].",
            "Configure it as the README says (application.properties, MESHGUARD_* environment, -D system properties"
                    + " given in JAVA_OPTS)."})
public final class ServeCommand implements Callable<Integer> {

    /** Where the packaged application is, when the launcher says so. */
    static final String APP_PROPERTY = "meshguard.app";

    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Path runner = application().resolve("quarkus-run.jar");
        if (!Files.isRegularFile(runner)) {
            spec.commandLine().getErr().println("meshguard serve: " + runner + " not found; build it with "
                    + "mvn package -DskipTests");
            return 2;
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String javaOptions = System.getenv("JAVA_OPTS");
        if (javaOptions != null && !javaOptions.isBlank()) {
            command.addAll(List.of(javaOptions.trim().split("\\s+")));
        }
        command.add("-jar");
        command.add(runner.toString());
        command.addAll(arguments);
        Process server = new ProcessBuilder(command).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::destroy));
        return server.waitFor();
    }

    /** {@code meshguard.app}, else the folder above the one this class's jar is in ({@code quarkus-app/app/}). */
    static Path application() {
        String configured = System.getProperty(APP_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Path code = Path.of(ServeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = code.getParent() == null ? code : code.getParent();
            return parent.getParent() == null ? parent : parent.getParent();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("target", "quarkus-app");
        }
    }
}
