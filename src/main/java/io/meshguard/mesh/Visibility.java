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
        boolean everywhere = effective == null || effective.isEmpty();
        // Reviews compute this for every entry on a listener: one named namespace allocates no set to sort.
        Set<String> specific = Set.of();
        for (String target : everywhere ? List.<String>of() : effective) {
            String trimmed = target == null ? "" : target.trim();
            String named = switch (trimmed) {
                case ALL -> {
                    everywhere = true;
                    yield null;
                }
                case OWN -> namespace;
                case NONE, "" -> null;
                default -> trimmed;
            };
            if (named == null || specific.contains(named)) {
                continue;
            }
            if (specific.isEmpty()) {
                specific = Set.of(named);
            } else {
                if (!(specific instanceof TreeSet)) {
                    specific = new TreeSet<>(specific);
                }
                specific.add(named);
            }
        }
        if (everywhere && specific.isEmpty()) {
            return EVERYWHERE;
        }
        return new Visibility(everywhere, specific instanceof TreeSet ? Collections.unmodifiableSet(specific) : specific);
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
