package io.meshguard.mesh;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The namespaces whose proxies see a ServiceEntry, from its {@code exportTo} (or the mesh default).
 * {@code specific} lists the namespaces it is exported to by name or by {@code .}; Istio ranks those
 * ahead of public services when it orders them for a proxy. Sets of several namespaces iterate in name order, so
 * messages that list them read the same on every run.
 */
public record Visibility(boolean everywhere, Set<String> specific) {

    public static final String ALL = "*";
    public static final String OWN = ".";
    public static final String NONE = "~";

    /** Exported to every namespace, none named: the most common case, shared. */
    public static final Visibility EVERYWHERE = new Visibility(true, Set.of());

    public static Visibility of(String namespace, List<String> exportTo, List<String> meshDefault) {
        List<String> effective = exportTo == null || exportTo.isEmpty() ? meshDefault : exportTo;
        if (effective == null || effective.isEmpty()) {
            return EVERYWHERE;
        }
        // Reviews compute this for every entry on a listener: the one-value cases allocate (almost) nothing.
        if (effective.size() == 1) {
            String only = effective.get(0) == null ? "" : effective.get(0).trim();
            switch (only) {
                case ALL -> {
                    return EVERYWHERE;
                }
                case OWN -> {
                    return new Visibility(false, Set.of(namespace));
                }
                case NONE, "" -> {
                    return new Visibility(false, Set.of());
                }
                default -> {
                    return new Visibility(false, Set.of(only));
                }
            }
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
        return new Visibility(everywhere, Collections.unmodifiableSet(specific));
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
        if (everywhere && other.everywhere && specific.isEmpty() && other.specific.isEmpty()) {
            return EVERYWHERE;
        }
        if (everywhere && other.everywhere) {
            Set<String> named = new TreeSet<>(specific);
            named.addAll(other.specific);
            return new Visibility(true, Collections.unmodifiableSet(named));
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
        return new Visibility(false, Collections.unmodifiableSet(named));
    }
}
