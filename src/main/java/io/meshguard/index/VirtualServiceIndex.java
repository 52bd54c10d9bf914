package io.meshguard.index;

import io.meshguard.mesh.RoutingVirtualService;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's VirtualServices, as far as the companion planner needs them, keyed by namespace/name. Fed by
 * an informer in cluster mode; empty standalone, where meshguard knows of no VirtualService.
 */
public final class VirtualServiceIndex {

    private final Map<String, RoutingVirtualService> byKey = new ConcurrentHashMap<>();

    public void put(RoutingVirtualService virtualService) {
        byKey.put(key(virtualService.namespace(), virtualService.name()), virtualService);
    }

    public void remove(String namespace, String name) {
        byKey.remove(key(namespace, name));
    }

    /** A copy, so a plan is made over one consistent list. */
    public Collection<RoutingVirtualService> all() {
        return List.copyOf(byKey.values());
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
