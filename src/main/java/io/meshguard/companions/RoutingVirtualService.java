package io.meshguard.companions;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.Visibility;
import java.util.ArrayList;
import java.util.List;

/**
 * A VirtualService already in the cluster, as far as the SNI VirtualService must avoid it: the hosts it
 * routes, whether it is bound to {@code mesh}, its export scope, and, when meshguard generated it, the entry
 * that owns it.
 *
 * @param owner the owning ServiceEntry when meshguard manages this VirtualService, otherwise null
 */
public record RoutingVirtualService(
        String namespace, String name, List<String> hosts, List<String> gateways, List<String> exportTo,
        EntryKey owner) {

    public static final String MESH = "mesh";

    public RoutingVirtualService {
        hosts = List.copyOf(hosts);
        gateways = List.copyOf(gateways);
        exportTo = List.copyOf(exportTo);
    }

    /** Reads a VirtualService object; a field of the wrong shape counts as absent, since this only avoids conflicts. */
    public static RoutingVirtualService read(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        JsonNode spec = object.path("spec");
        String namespace = metadata.path("namespace").asText("");
        EntryKey owner = null;
        if (Companions.MANAGED_BY_VALUE.equals(metadata.path("labels").path(Companions.MANAGED_BY).asText(null))) {
            for (JsonNode reference : metadata.path("ownerReferences")) {
                if ("ServiceEntry".equals(reference.path("kind").asText())
                        && reference.path("apiVersion").asText().startsWith("networking.istio.io/")) {
                    owner = new EntryKey(namespace, reference.path("name").asText());
                }
            }
        }
        return new RoutingVirtualService(namespace, metadata.path("name").asText(""), texts(spec.path("hosts")),
                texts(spec.path("gateways")), texts(spec.path("exportTo")), owner);
    }

    /** No gateways means {@code mesh}, as in Istio. */
    public boolean boundToMesh() {
        return gateways.isEmpty() || gateways.contains(MESH);
    }

    /**
     * Whether this VirtualService routes {@code host} of an entry in {@code entryNamespace}. Short names are
     * read in their own object's namespace, as istioctl's IST0109 analyzer does.
     */
    public boolean routes(String host, String entryNamespace) {
        String wanted = qualified(host, entryNamespace);
        for (String own : hosts) {
            if (qualified(own, namespace).equals(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Where Istio applies it; unset exportTo counts as everywhere, as in istioctl's conflict analyzer. */
    public Visibility scope() {
        return Visibility.of(namespace, exportTo, List.of());
    }

    static String qualified(String host, String namespace) {
        return host.contains(".") || host.equals("*") ? host : host + "." + namespace + ".svc.cluster.local";
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(item -> {
                if (item.isTextual()) {
                    values.add(item.asText());
                }
            });
        }
        return values;
    }
}
