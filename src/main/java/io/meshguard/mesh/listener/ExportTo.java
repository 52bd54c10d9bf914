package io.meshguard.mesh.listener;

import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Who sees a service, as {@code initServiceRegistry} and {@code serviceExportTo} (push_context.go) file it:
 * {@code exportTo} as written, or the mesh's {@code defaultServiceExportTo} when unset, or {@code *}. Any {@code *}
 * makes it public (the other values are then ignored, so it is never "exported to a namespace by name"); else any
 * {@code ~} hides it; else it is exported to each value, {@code .} being its own namespace. Values are taken
 * whole, untrimmed, as istiod takes them.
 */
public record ExportTo(boolean isPublic, Set<String> namespaces) {

    public static final ExportTo PUBLIC = new ExportTo(true, Set.of());
    public static final ExportTo NONE = new ExportTo(false, Set.of());

    public static ExportTo of(ServiceEntryFacts entry, MeshConfig mesh) {
        return of(entry.namespace(), entry.exportTo(), mesh.defaultServiceExportTo());
    }

    public static ExportTo of(String namespace, List<String> exportTo, List<String> meshDefault) {
        List<String> effective = exportTo.isEmpty() ? meshDefault : exportTo;
        if (effective.isEmpty() || effective.contains("*")) {
            return PUBLIC;
        }
        if (effective.contains("~")) {
            return NONE;
        }
        if (effective.size() == 1) {
            String only = effective.get(0);
            return new ExportTo(false, Set.of(".".equals(only) ? namespace : only));
        }
        Set<String> namespaces = new HashSet<>();
        for (String value : effective) {
            namespaces.add(".".equals(value) ? namespace : value);
        }
        return new ExportTo(false, Set.copyOf(namespaces));
    }

    public boolean isHidden() {
        return !isPublic && namespaces.isEmpty();
    }

    /** Seen by proxies in {@code namespace}. */
    public boolean visibleIn(String namespace) {
        return isPublic || namespaces.contains(namespace);
    }

    /** Filed under {@code exportedToNamespace[namespace]}: ahead of public services for that namespace. */
    public boolean exportedByName(String namespace) {
        return !isPublic && namespaces.contains(namespace);
    }
}
