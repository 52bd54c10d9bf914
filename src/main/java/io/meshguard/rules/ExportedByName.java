package io.meshguard.rules;

import io.meshguard.mesh.listener.MeshService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The services exported to each namespace by name ({@code exportedToNamespace}, filled by {@code initServiceRegistry}
 * in push_context.go), as a chain per namespace: namespaces given the same entries, in the same order, hold the same
 * link. So an entry exported to 50,000 namespaces costs one link, and the namespaces whose proxies see the same
 * services by name are found by the identity of their link.
 */
final class ExportedByName {

    /** One entry's services, after those of the entries added before it. */
    static final class Link {
        private final Link previous;
        private final List<MeshService> services;

        private Link(Link previous, List<MeshService> services) {
            this.previous = previous;
            this.services = services;
        }
    }

    private final Map<String, Link> byNamespace = new HashMap<>();
    private final Map<Link, Map<List<MeshService>, Link>> extended = new IdentityHashMap<>();

    /** @param services one entry's services, the same list object every time that entry is added */
    void add(Set<String> namespaces, List<MeshService> services) {
        for (String namespace : namespaces) {
            Link previous = byNamespace.get(namespace);
            byNamespace.put(namespace, extended.computeIfAbsent(previous, p -> new IdentityHashMap<>(2))
                    .computeIfAbsent(services, s -> new Link(previous, s)));
        }
    }

    /** What {@code namespace} is given by name; null when nothing. */
    Link in(String namespace) {
        return byNamespace.get(namespace);
    }

    Set<String> namespaces() {
        return byNamespace.keySet();
    }

    /**
     * The namespaces to build, those whose proxies see the same services in the same order put together: the same
     * services exported to them by name, and {@code marked} alike (the reviewed entry exported to them by name or
     * not). Each of {@code alone} is built on its own: it declares a host another namespace declares too, and host
     * selection prefers a proxy's own namespace. An entry exported to 50,000 namespaces by name then costs one build,
     * not 50,000.
     *
     * @param namespaces in the order to build them
     */
    List<List<String>> alike(Collection<String> namespaces, Set<String> alone, Predicate<String> marked) {
        Map<Sees, List<String>> groups = new LinkedHashMap<>();
        List<List<String>> builds = new ArrayList<>();
        for (String namespace : namespaces) {
            if (alone.contains(namespace)) {
                builds.add(List.of(namespace));
            } else {
                groups.computeIfAbsent(new Sees(marked.test(namespace), in(namespace)), k -> new ArrayList<>(1))
                        .add(namespace);
            }
        }
        builds.addAll(groups.values());
        return builds;
    }

    /**
     * What a namespace's proxies see ahead of the public services: the link by identity. Equality written out: a
     * record's generated methods run through method handles that C1 does not inline, and a review asks this of each
     * of thousands of namespaces.
     */
    private record Sees(boolean marked, Link byName) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Sees sees && marked == sees.marked && byName == sees.byName;
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(byName) + (marked ? 1 : 0);
        }
    }

    /** Each service exported to {@code namespace} by name, the entries added last first. */
    void forEach(String namespace, Consumer<MeshService> action) {
        for (Link link = byNamespace.get(namespace); link != null; link = link.previous) {
            link.services.forEach(action);
        }
    }
}
