package io.meshguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.admission.GatewayIndexValidator;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.KindRoute;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.admission.VirtualServiceBindingValidator;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.gateway.GatewayReview;
import io.meshguard.rules.gateway.VirtualServiceReview;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code meshguard check}'s Gateways and VirtualServices: the webhook's own Gateway and VirtualService routes
 * ({@link GatewayIndexValidator}, {@link VirtualServiceBindingValidator}, standalone learning) over a
 * {@link GatewayIndex} into which the cluster state's Gateways and VirtualServices are confirmed.
 *
 * <p>Gateways are reviewed in file order, as the API server would send them: a denied Gateway is not recorded, so a
 * later one is judged without it. VirtualServices are only ever warned about, and a GitOps tool applies them in any
 * order, so they are reviewed after every Gateway of the manifests (in file order among themselves): a
 * VirtualService is warned about only when the Gateways of the cluster and the manifests together leave its routes
 * going nowhere. Only {@code networking.istio.io} kinds are taken; a Kubernetes Gateway API {@code Gateway} is
 * another kind.
 */
final class GatewayCheck {

    /** The apart-ness of the creation times given to manifests without one, in file order. */
    private static final long STEP_MILLIS = 1000;

    /** A VirtualService of the manifests, reviewed once every Gateway is known; {@code slot} keeps its place. */
    private record Pending(int slot, Path file, int line, String where, ObjectNode object) {
    }

    private final String defaultNamespace;
    private final long now;
    private final GatewayIndex index;
    private final Map<String, Map<EntryKey, JsonNode>> stored = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final long[] clock;
    private final KindRoute<GatewayView> gateways;
    private final KindRoute<VirtualServiceView> virtualServices;
    private int clusterObjects;
    private int sequence;

    GatewayCheck(String defaultNamespace, long now) {
        this.defaultNamespace = defaultNamespace;
        this.now = now;
        this.index = new GatewayIndex(System::currentTimeMillis, Long.MAX_VALUE / 4);
        this.clock = new long[] {now};
        this.gateways = IstioNetworking.gateways(() -> clock[0])
                .validator(new GatewayIndexValidator(index, GatewayReview.standard(),
                        ServiceEntryIndexValidator.Learning.LEARN))
                .build();
        this.virtualServices = IstioNetworking.virtualServiceBindings(() -> clock[0])
                .validator(new VirtualServiceBindingValidator(index, new VirtualServiceReview(),
                        ServiceEntryIndexValidator.Learning.LEARN))
                .build();
        stored.put(IstioNetworking.GATEWAY, new HashMap<>());
        stored.put(IstioNetworking.VIRTUAL_SERVICE, new HashMap<>());
    }

    /** The Gateway or VirtualService kind of {@code object}, or null for any other. */
    static String kind(JsonNode object) {
        String kind = object.path("kind").asText();
        boolean ours = IstioNetworking.GATEWAY.equals(kind) || IstioNetworking.VIRTUAL_SERVICE.equals(kind);
        return ours && object.path("apiVersion").asText("").startsWith(IstioNetworking.GROUP + "/") ? kind : null;
    }

    /** An object of the cluster state: confirmed into the index if it is a Gateway or VirtualService. */
    boolean cluster(Path file, int line, String where, JsonNode object, List<ManifestLoader.Problem> problems) {
        String kind = kind(object);
        if (kind == null) {
            return false;
        }
        try {
            EntryKey key;
            if (kind.equals(IstioNetworking.GATEWAY)) {
                GatewayView gateway = GatewayReader.read(object, defaultNamespace, now);
                key = gateway.key();
                if (stored.get(kind).putIfAbsent(key, object) == null) {
                    index.confirm(gateway);
                    clock[0] = Math.max(clock[0], gateway.createdMillis());
                }
            } else {
                VirtualServiceView vs = VirtualServiceBindingReader.read(object, defaultNamespace, now);
                key = vs.key();
                if (stored.get(kind).putIfAbsent(key, object) == null) {
                    index.putVirtualService(vs);
                }
            }
            if (stored.get(kind).get(key) != object) {
                problems.add(new ManifestLoader.Problem(file, line, where + kind + " " + key
                        + " is in the cluster state twice; the first is kept"));
            } else {
                clusterObjects++;
            }
        } catch (MalformedObjectException e) {
            problems.add(new ManifestLoader.Problem(file, line, where + kind + " " + describe(object) + ": "
                    + e.getMessage()));
        }
        return true;
    }

    /**
     * An object of the manifests: a Gateway is reviewed now, a VirtualService once every Gateway is known
     * ({@link #finish}).
     */
    boolean manifest(Path file, int line, String where, JsonNode object, List<Check.Reviewed> reviewed,
            List<ManifestLoader.Problem> problems) {
        String kind = kind(object);
        if (kind == null) {
            return false;
        }
        if (kind.equals(IstioNetworking.VIRTUAL_SERVICE)) {
            pending.add(new Pending(reviewed.size(), file, line, where, (ObjectNode) object));
            return true;
        }
        try {
            reviewed.add(review(gateways, kind, "gateways", file, line, where, (ObjectNode) object));
        } catch (RuntimeException e) {
            problems.add(new ManifestLoader.Problem(file, line, where + kind + " " + describe(object)
                    + " could not be checked: " + e));
        }
        return true;
    }

    /** Reviews the VirtualServices of the manifests, and puts each in {@code reviewed} where it was read. */
    void finish(List<Check.Reviewed> reviewed, List<ManifestLoader.Problem> problems) {
        int inserted = 0;
        for (Pending p : pending) {
            try {
                reviewed.add(p.slot() + inserted, review(virtualServices, IstioNetworking.VIRTUAL_SERVICE,
                        "virtualservices", p.file(), p.line(), p.where(), p.object()));
                inserted++;
            } catch (RuntimeException e) {
                problems.add(new ManifestLoader.Problem(p.file(), p.line(), p.where() + "VirtualService "
                        + describe(p.object()) + " could not be checked: " + e));
            }
        }
        pending.clear();
    }

    /** "2 ServiceEntries, 1 Gateway": what was reviewed, by kind; ServiceEntries always named. */
    static String counted(List<Check.Reviewed> reviewed) {
        StringBuilder out = new StringBuilder();
        for (String kind : List.of(IstioNetworking.SERVICE_ENTRY, IstioNetworking.GATEWAY,
                IstioNetworking.VIRTUAL_SERVICE)) {
            long n = reviewed.stream().filter(r -> r.kind().equals(kind)).count();
            if (n > 0 || kind.equals(IstioNetworking.SERVICE_ENTRY)) {
                out.append(out.length() == 0 ? "" : ", ").append(n).append(' ')
                        .append(n == 1 ? kind : kind.equals(IstioNetworking.SERVICE_ENTRY) ? "ServiceEntries"
                                : kind + "s");
            }
        }
        return out.toString();
    }

    /** The Gateways and VirtualServices read from the cluster state. */
    int clusterObjects() {
        return clusterObjects;
    }

    /** One manifest as the API server would send it: CREATE, or UPDATE of what is stored under its name. */
    private <T> Check.Reviewed review(KindRoute<T> route, String kind, String resource, Path file, int line,
            String where, ObjectNode manifest) {
        clock[0] += STEP_MILLIS;
        return Check.review(route, kind, resource, stored.get(kind), defaultNamespace,
                "meshguard-check-" + resource + "-" + sequence++, file, line, where, manifest);
    }

    private static String describe(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return metadata.path("namespace").asText("?") + "/" + metadata.path("name").asText("?");
    }
}
