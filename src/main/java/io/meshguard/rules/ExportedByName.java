package io.meshguard.rules;

import io.meshguard.mesh.listener.MeshService;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

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

    /** Each service exported to {@code namespace} by name, the entries added last first. */
    void forEach(String namespace, Consumer<MeshService> action) {
        for (Link link = byNamespace.get(namespace); link != null; link = link.previous) {
            link.services.forEach(action);
        }
    }
}
