package io.meshguard.mesh.listener;

import io.meshguard.mesh.ServiceEntryFacts;
import java.util.Comparator;

/**
 * The order in which a proxy's listeners take services: {@code servicesExportedToNamespace} puts the services
 * exported to the proxy's namespace by name (or {@code .}) first and the public ones after; within each,
 * {@code SortServicesByCreationTime}: older first, then by host ({@code Attributes.Name}), then namespace. The
 * first service wins a conflict.
 */
public final class ServiceOrder {

    /** Why {@code first} comes before {@code second} for a proxy in some namespace. */
    public enum Reason {
        EXPORTED_BY_NAME("exported to that namespace by name"),
        OLDER("older"),
        SMALLER_HOST("same age, smaller host"),
        SMALLER_NAMESPACE("same age and host, smaller namespace"),
        SAME_ENTRY("listed first in the same entry");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** {@code SortServicesByCreationTime}, with the entry name last so that ties read the same on every run. */
    public static final Comparator<MeshService> BY_CREATION_TIME = Comparator
            .comparingLong((MeshService s) -> s.entry().createdMillis())
            .thenComparing(MeshService::hostname)
            .thenComparing(MeshService::namespace)
            .thenComparing(s -> s.entry().name());

    /**
     * {@link #BY_CREATION_TIME} for entries, by the service of each that comes first: created, smallest host,
     * namespace ({@code SortServicesByCreationTime}, push_context.go: creation time, {@code Attributes.Name},
     * {@code Attributes.Namespace}), then name. Among the public services of one listener key, this is the order in
     * which their entries first reach it.
     */
    public static final Comparator<ServiceEntryFacts> BY_FIRST_SERVICE = ServiceOrder::compareFirstServices;

    private ServiceOrder() {
    }

    private static int compareFirstServices(ServiceEntryFacts a, ServiceEntryFacts b) {
        int order = Long.compare(a.createdMillis(), b.createdMillis());
        if (order == 0) {
            order = firstHost(a).compareTo(firstHost(b));
        }
        if (order == 0) {
            order = a.namespace().compareTo(b.namespace());
        }
        return order != 0 ? order : a.name().compareTo(b.name());
    }

    private static String firstHost(ServiceEntryFacts entry) {
        String first = null;
        for (String host : entry.hosts()) {
            if (first == null || host.compareTo(first) < 0) {
                first = host;
            }
        }
        return first == null ? "" : first;
    }

    /** The comparator for proxies in {@code namespace}: exported there by name first. */
    public static Comparator<Ranked> forNamespace() {
        return Comparator.comparing((Ranked r) -> !r.exportedByName()).thenComparing(Ranked::service,
                BY_CREATION_TIME);
    }

    /** A service as a proxy's namespace sees it. */
    public record Ranked(MeshService service, boolean exportedByName) {
    }

    /** Why {@code first} precedes {@code second} in a namespace where they rank as given. */
    public static Reason reason(Ranked first, Ranked second) {
        if (first.exportedByName() != second.exportedByName()) {
            return Reason.EXPORTED_BY_NAME;
        }
        MeshService a = first.service();
        MeshService b = second.service();
        if (a.entry().createdMillis() != b.entry().createdMillis()) {
            return Reason.OLDER;
        }
        if (a.entry() == b.entry() || a.entry().key().equals(b.entry().key())) {
            return Reason.SAME_ENTRY;
        }
        if (!a.hostname().equals(b.hostname())) {
            return Reason.SMALLER_HOST;
        }
        return Reason.SMALLER_NAMESPACE;
    }
}
