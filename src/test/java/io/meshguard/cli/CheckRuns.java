package io.meshguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code meshguard check} run in process, and the command-line tables of its tests: the arguments, what stdin
 * holds, the exit status, and what stdout (findings) and stderr (diagnostics) say. {@code TMP/} in an argument is a
 * folder of files the case writes first.
 */
final class CheckRuns {

    private CheckRuns() {
    }

    /**
     * @param files files to write under TMP/ first, as name, content, name, content...
     */
    record Case(String name, List<String> args, String stdin, int exit, List<String> out, List<String> err,
            List<String> outNot, List<String> files) {

        Case expectOut(String... fragments) {
            return new Case(name, args, stdin, exit, List.of(fragments), err, outNot, files);
        }

        Case expectErr(String... fragments) {
            return new Case(name, args, stdin, exit, out, List.of(fragments), outNot, files);
        }

        Case expectNotOut(String... fragments) {
            return new Case(name, args, stdin, exit, out, err, List.of(fragments), files);
        }

        Case stdin(String text) {
            return new Case(name, args, text, exit, out, err, outNot, files);
        }

        Case file(String name, String content) {
            List<String> more = new ArrayList<>(files);
            more.add(name);
            more.add(content);
            return new Case(this.name, args, stdin, exit, out, err, outNot, more);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case exits(int exit, String name, String... args) {
        return new Case(name, List.of(args), "", exit, List.of(), List.of(), List.of(), List.of());
    }

    /** Writes the case's files under {@code tmp}, runs it, and checks what the table says. */
    static void assertAsTheTableSays(Case c, Path tmp) throws IOException {
        for (int i = 0; i < c.files().size(); i += 2) {
            Files.writeString(tmp.resolve(c.files().get(i)), c.files().get(i + 1));
        }
        String[] args = c.args().stream().map(a -> a.startsWith("TMP/") ? tmp + "/" + a.substring(4) : a)
                .toArray(String[]::new);
        Run run = run(c.stdin(), args);
        assertThat(run.status()).as("exit status; stdout:%n%s%nstderr:%n%s", run.out(), run.err())
                .isEqualTo(c.exit());
        c.out().forEach(fragment -> assertThat(run.out()).contains(fragment));
        c.outNot().forEach(fragment -> assertThat(run.out()).doesNotContain(fragment));
        c.err().forEach(fragment -> assertThat(run.err()).contains(fragment));
    }

    record Run(int status, String out, String err) {
    }

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Meshguard.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
