package io.meshguard.mesh.listener;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code selectServices} (sidecar.go): a proxy keeps one namespace's services per hostname: its own namespace's
 * when that declares the host, else the namespace of the first service with that host in its order. The services
 * of the other namespaces for that host are left out of its listeners entirely.
 */
public final class HostSelection {

    private HostSelection() {
    }

    /** What was left out and what was chosen instead. */
    public interface Ignored {
        void ignored(ServiceOrder.Ranked ignored, ServiceOrder.Ranked chosen);
    }

    /** @param ordered the services the proxy sees, in {@link ServiceOrder}; returns those kept, in that order */
    public static List<ServiceOrder.Ranked> select(List<ServiceOrder.Ranked> ordered, String proxyNamespace,
            Ignored ignored) {
        Map<String, ServiceOrder.Ranked> chosen = new HashMap<>();
        for (ServiceOrder.Ranked ranked : ordered) {
            ServiceOrder.Ranked seen = chosen.get(ranked.service().hostname());
            if (seen == null || (ranked.service().namespace().equals(proxyNamespace)
                    && !seen.service().namespace().equals(proxyNamespace))) {
                chosen.put(ranked.service().hostname(), ranked);
            }
        }
        List<ServiceOrder.Ranked> kept = new ArrayList<>(ordered.size());
        for (ServiceOrder.Ranked ranked : ordered) {
            ServiceOrder.Ranked choice = chosen.get(ranked.service().hostname());
            if (choice.service().namespace().equals(ranked.service().namespace())) {
                kept.add(ranked);
            } else {
                ignored.ignored(ranked, choice);
            }
        }
        return kept;
    }
}
