package io.meshguard.mesh;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which ServiceEntry a companion object belongs to: the one rule that the planner's view of VirtualServices and
 * the controller's owner index share. An object belongs to an entry when it carries meshguard's
 * {@code managed-by} label and an ownerReference to a {@code networking.istio.io} ServiceEntry marked as its
 * controller; an ownerReference never crosses namespaces, so the entry is in the object's namespace.
 */
public final class CompanionOwner {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "meshguard";

    private static final String GROUP_PREFIX = "networking.istio.io/";

    /** One ownerReference, as far as this rule reads it. */
    public record Reference(String apiVersion, String kind, String name, boolean controller) {
    }

    private CompanionOwner() {
    }

    /** Labelled as written by meshguard. */
    public static boolean managed(Map<String, String> labels) {
        return labels != null && MANAGED_BY_VALUE.equals(labels.get(MANAGED_BY));
    }

    /** The entry that controls the object, or empty when it is not meshguard's or no ServiceEntry controls it. */
    public static Optional<EntryKey> of(String namespace, Map<String, String> labels, List<Reference> references) {
        if (!managed(labels) || references == null) {
            return Optional.empty();
        }
        for (Reference reference : references) {
            if (reference.controller() && "ServiceEntry".equals(reference.kind()) && reference.apiVersion() != null
                    && reference.apiVersion().startsWith(GROUP_PREFIX) && reference.name() != null
                    && !reference.name().isEmpty()) {
                return Optional.of(new EntryKey(namespace, reference.name()));
            }
        }
        return Optional.empty();
    }
}
