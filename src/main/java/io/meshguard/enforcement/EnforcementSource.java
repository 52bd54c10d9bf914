package io.meshguard.enforcement;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The enforcement policy as configured: the file the platform team mounts (a ConfigMap key), read again when its
 * content changes, checked at most once per {@code checkEveryMillis} when the policy is asked for. Without a file,
 * or while the file is absent, the policy is the fallback default alone ({@code meshguard.enforcement.default}).
 * A file that cannot be read or parsed leaves the last good policy in force and is reported once per content.
 *
 * <p>A ConfigMap mounted as a directory is updated by the kubelet swapping a symlink: the path stays, its content
 * changes. Comparing the content (not only the modification time) catches that whatever the timestamps say.
 */
public final class EnforcementSource implements Supplier<EnforcementPolicy> {

    /** What happened at a check, for the log: a new policy, or a problem with the file. */
    public interface Listener {
        void loaded(Path file, EnforcementPolicy policy);

        void rejected(Path file, String problem);
    }

    private final Path file;
    private final Mode fallback;
    private final long checkEveryMillis;
    private final LongSupplier clock;
    private final Listener listener;
    private volatile EnforcementPolicy policy;
    private long lastCheck = Long.MIN_VALUE;
    private String lastContent;

    /** @param file null when no file is configured: the fallback applies everywhere */
    public EnforcementSource(Path file, Mode fallback, long checkEveryMillis, LongSupplier clock, Listener listener) {
        this.file = file;
        this.fallback = fallback;
        this.checkEveryMillis = checkEveryMillis;
        this.clock = clock;
        this.listener = listener;
        this.policy = EnforcementPolicy.uniform(fallback);
        if (file != null) {
            check();
        }
    }

    public static EnforcementSource fixed(Mode mode) {
        return new EnforcementSource(null, mode, Long.MAX_VALUE, () -> 0L, null);
    }

    @Override
    public EnforcementPolicy get() {
        if (file != null) {
            long now = clock.getAsLong();
            if (now - lastCheck >= checkEveryMillis) {
                synchronized (this) {
                    if (now - lastCheck >= checkEveryMillis) {
                        check();
                    }
                }
            }
        }
        return policy;
    }

    private void check() {
        lastCheck = clock.getAsLong();
        String content;
        try {
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            content = null;
        } catch (IOException e) {
            report("cannot be read: " + e.getMessage(), "\u0000io " + e.getMessage());
            return;
        }
        if (java.util.Objects.equals(content, lastContent)) {
            return;
        }
        EnforcementPolicy next;
        try {
            next = content == null ? EnforcementPolicy.uniform(fallback) : parse(content, fallback);
        } catch (IllegalArgumentException e) {
            report(e.getMessage() + "; the previous policy stays in force (" + policy + ")", content);
            return;
        }
        lastContent = content;
        policy = next;
        if (listener != null) {
            listener.loaded(file, next);
        }
    }

    private void report(String problem, String content) {
        if (!java.util.Objects.equals(content, lastContent)) {
            lastContent = content;
            if (listener != null) {
                listener.rejected(file, problem);
            }
        }
    }

    /** The file's text ({@link Properties} syntax) as a policy. */
    public static EnforcementPolicy parse(String text, Mode fallback) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a properties file: " + e.getMessage(), e);
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
        return EnforcementPolicy.parse(settings, fallback);
    }

    /** Logs through {@code info} and {@code error}, the way the server wires it. */
    public static Listener logging(Consumer<String> info, Consumer<String> error) {
        return new Listener() {
            @Override
            public void loaded(Path file, EnforcementPolicy policy) {
                info.accept("enforcement policy from " + file + ": " + policy);
            }

            @Override
            public void rejected(Path file, String problem) {
                error.accept("enforcement policy file " + file + " " + problem);
            }
        };
    }
}
