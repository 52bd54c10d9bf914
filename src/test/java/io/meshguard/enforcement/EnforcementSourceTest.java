package io.meshguard.enforcement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mounted file is read again when its content changes, and a bad edit keeps the last good policy. */
class EnforcementSourceTest {

    @TempDir
    Path dir;

    private final AtomicLong clock = new AtomicLong();
    private final List<String> log = new ArrayList<>();
    private final EnforcementSource.Listener listener = EnforcementSource.logging(log::add, e -> log.add("ERROR " + e));

    @Test
    void a_changed_file_takes_effect_at_the_next_check_without_a_restart() throws Exception {
        Path file = dir.resolve("enforcement.properties");
        Files.writeString(file, "default = audit\n");
        EnforcementSource source = new EnforcementSource(file, Mode.DENY, 1_000, clock::get, listener);
        assertThat(source.get().modeFor("ns1", "ListenerCollision")).isEqualTo(Mode.AUDIT);

        Files.writeString(file, "default = warn\nnamespace.team-* = deny\n");
        clock.addAndGet(500);
        assertThat(source.get().modeFor("ns1", "ListenerCollision")).as("not checked yet").isEqualTo(Mode.AUDIT);
        clock.addAndGet(500);
        assertThat(source.get().modeFor("ns1", "ListenerCollision")).isEqualTo(Mode.WARN);
        assertThat(source.get().modeFor("team-a", "ListenerCollision")).isEqualTo(Mode.DENY);
        assertThat(log).last().asString().contains("default = warn; namespace.team-* = deny");
    }

    @Test
    void a_configmap_swap_is_seen_through_the_symlink() throws Exception {
        // The kubelet's layout: key -> ..data/key, ..data -> ..<timestamp>; an update swaps ..data.
        Path first = Files.createDirectories(dir.resolve("..2026_01_01"));
        Path second = Files.createDirectories(dir.resolve("..2026_01_02"));
        Files.writeString(first.resolve("enforcement.properties"), "default = audit\n");
        Files.writeString(second.resolve("enforcement.properties"), "default = deny\n");
        Path data = dir.resolve("..data");
        Files.createSymbolicLink(data, first.getFileName());
        Path key = Files.createSymbolicLink(dir.resolve("enforcement.properties"), Path.of("..data/enforcement.properties"));
        EnforcementSource source = new EnforcementSource(key, Mode.WARN, 10, clock::get, listener);
        assertThat(source.get().defaultMode()).isEqualTo(Mode.AUDIT);

        Path swap = dir.resolve("..data_tmp");
        Files.createSymbolicLink(swap, second.getFileName());
        Files.move(swap, data, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        clock.addAndGet(10);
        assertThat(source.get().defaultMode()).isEqualTo(Mode.DENY);
    }

    @Test
    void a_bad_edit_keeps_the_last_good_policy_and_is_reported_once() throws Exception {
        Path file = dir.resolve("enforcement.properties");
        Files.writeString(file, "default = warn\n");
        EnforcementSource source = new EnforcementSource(file, Mode.DENY, 10, clock::get, listener);
        Files.writeString(file, "default = wran\n");
        for (int i = 0; i < 3; i++) {
            clock.addAndGet(10);
            assertThat(source.get().defaultMode()).isEqualTo(Mode.WARN);
        }
        assertThat(log.stream().filter(l -> l.startsWith("ERROR"))).singleElement().asString()
                .contains("'default' must be deny, warn or audit, got 'wran'")
                .contains("the previous policy stays in force (default = warn)");
        Files.writeString(file, "default = audit\n");
        clock.addAndGet(10);
        assertThat(source.get().defaultMode()).isEqualTo(Mode.AUDIT);
    }

    @Test
    void without_the_file_the_fallback_applies_until_it_appears() throws Exception {
        Path file = dir.resolve("absent.properties");
        EnforcementSource source = new EnforcementSource(file, Mode.WARN, 10, clock::get, listener);
        assertThat(source.get().defaultMode()).isEqualTo(Mode.WARN);
        Files.writeString(file, "default = deny\n");
        clock.addAndGet(10);
        assertThat(source.get().defaultMode()).isEqualTo(Mode.DENY);
        Files.delete(file);
        clock.addAndGet(10);
        assertThat(source.get().defaultMode()).as("a removed file means the fallback again").isEqualTo(Mode.WARN);
    }
}
