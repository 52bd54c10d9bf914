package io.meshguard.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * meshguard's command line: {@code check}, {@code plan} and {@code serve}. A plain main class: it does not start
 * Quarkus or the HTTP server ({@code serve} runs the server jar as a child process). {@code bin/meshguard} runs it
 * from the packaged application.
 */
@Command(name = "meshguard", mixinStandardHelpOptions = true, versionProvider = Meshguard.Version.class,
        description = "Admission checks for Istio ServiceEntries, offline.",
        subcommands = {CheckCommand.class, PlanCommand.class, ServeCommand.class})
public final class Meshguard implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit status. Usage errors are 2. */
    static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new Meshguard(), new Factory(stdin));
        line.setOut(out);
        line.setErr(err);
        line.setExitCodeExceptionMapper(e -> CheckCommand.UNREADABLE);
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: check, plan or serve");
    }

    /** Gives the commands that read stdin the stream to read. */
    private record Factory(InputStream stdin) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            if (type == CheckCommand.class) {
                return type.cast(new CheckCommand(stdin));
            }
            if (type == PlanCommand.class) {
                return type.cast(new PlanCommand(stdin));
            }
            return CommandLine.defaultFactory().create(type);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Meshguard.class.getPackage().getImplementationVersion();
            return new String[] {"meshguard " + (version == null ? "(development build)" : version)};
        }
    }
}
