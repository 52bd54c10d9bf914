package io.meshguard.mesh;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces whose proxies see a ServiceEntry, from its {@code exportTo} (or the mesh default).
 * {@code specific} lists the namespaces it is exported to by name or by {@code .}; Istio ranks those
 * ahead of public services when it orders them for a proxy.
 */
public record Visibility(boolean everywhere, Set<String> specific) {

    public static final String ALL = "*";
    public static final String OWN = ".";
    public static final String NONE = "~";

    public static Visibility of(String namespace, List<String> exportTo, List<String> meshDefault) {
        List<String> effective = exportTo == null || exportTo.isEmpty() ? meshDefault : exportTo;
        if (effective == null || effective.isEmpty()) {
            return new Visibility(true, Set.of());
        }
        boolean everywhere = false;
        Set<String> specific = new TreeSet<>();
        for (String target : effective) {
            String trimmed = target == null ? "" : target.trim();
            switch (trimmed) {
                case ALL -> everywhere = true;
                case OWN -> specific.add(namespace);
                case NONE, "" -> { }
                default -> specific.add(trimmed);
            }
        }
        return new Visibility(everywhere, Set.copyOf(specific));
    }

    public boolean isHidden() {
        return !everywhere && specific.isEmpty();
    }

    public boolean isSpecificTo(String namespace) {
        return specific.contains(namespace);
    }

    /**
     * The namespaces that see both. {@code everywhere()} on the result means every namespace not
     * named in {@code specific()}, as well as those named.
     */
    public Visibility overlap(Visibility other) {
        if (everywhere && other.everywhere) {
            Set<String> named = new TreeSet<>(specific);
            named.addAll(other.specific);
            return new Visibility(true, Set.copyOf(named));
        }
        Set<String> named = new TreeSet<>();
        for (String ns : specific) {
            if (other.everywhere || other.specific.contains(ns)) {
                named.add(ns);
            }
        }
        if (everywhere) {
            named.addAll(other.specific);
        }
        return new Visibility(false, Set.copyOf(named));
    }
}
