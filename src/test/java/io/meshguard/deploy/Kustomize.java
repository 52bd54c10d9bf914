package io.meshguard.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization: with {@code kubectl kustomize} when kubectl is on PATH, else by reading its files. */
final class Kustomize {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Kustomize() {
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static boolean kubectlAvailable() {
        return onPath("kubectl");
    }

    /** All objects of the kustomization in {@code dir}. */
    static List<HasMetadata> render(Path dir) {
        return kubectlAvailable() ? parse(kubectl("kustomize", dir.toString())) : readFiles(dir);
    }

    /** The files the kustomization lists, parsed one by one (directories are followed); patches are not applied. */
    static List<HasMetadata> readFiles(Path dir) {
        List<HasMetadata> objects = new ArrayList<>();
        try {
            JsonNode kustomization = new ObjectMapper(new YAMLFactory())
                    .readTree(dir.resolve("kustomization.yaml").toFile());
            for (JsonNode resource : kustomization.path("resources")) {
                Path entry = dir.resolve(resource.asText()).normalize();
                objects.addAll(Files.isDirectory(entry) ? readFiles(entry) : parse(Files.readString(entry)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    static List<HasMetadata> parse(String yaml) {
        Object parsed = SERIALIZATION.unmarshal(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        List<HasMetadata> objects = new ArrayList<>();
        if (parsed instanceof List<?> list) {
            list.stream().filter(HasMetadata.class::isInstance).map(HasMetadata.class::cast).forEach(objects::add);
        } else if (parsed instanceof HasMetadata single) {
            objects.add(single);
        }
        return objects;
    }

    static String kubectl(String... args) {
        List<String> command = new ArrayList<>();
        command.add("kubectl");
        command.addAll(List.of(args));
        return run(command, null).stdout();
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs a command, failing the test when it does not exit 0. */
    static Result run(List<String> command, java.util.Map<String, String> environment) {
        Result result = runAllowingFailure(command, environment);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exit() + ":\n" + result.stderr()
                    + result.stdout());
        }
        return result;
    }

    static Result runAllowingFailure(List<String> command, java.util.Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(new File("."));
            if (environment != null) {
                builder.environment().putAll(environment);
            }
            Path out = Files.createTempFile("meshguard-cmd", ".out");
            Path err = Files.createTempFile("meshguard-cmd", ".err");
            try {
                Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
