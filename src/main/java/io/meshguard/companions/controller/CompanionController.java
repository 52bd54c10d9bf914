package io.meshguard.companions.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.meshguard.cluster.InformerEvents;
import io.meshguard.cluster.IstioKinds;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.Companions;
import io.meshguard.companions.Plan;
import io.meshguard.companions.RoutingVirtualService;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Writes what the planner plans, for ServiceEntries the API server has persisted. For each entry (a key in a
 * work queue) it compares the planned companions with those it owns in the informers' caches: it writes a
 * missing or edited one, and deletes one no longer planned. An entry is queued when it changes, when one of
 * its companions changes (so edits are reverted), and when a VirtualService for one of its hosts appears,
 * changes or goes (so the SNI VirtualService gives way, or comes back). When the SNI VirtualService gives way,
 * the entry gets an Event that says so.
 */
public final class CompanionController implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CompanionController.class);
    public static final String YIELDED_REASON = "SniVirtualServiceYielded";

    /** The informers and the state the controller reads; it owns none of them. */
    public record Sources(
            SharedIndexInformer<GenericKubernetesResource> entries,
            SharedIndexInformer<GenericKubernetesResource> virtualServices,
            Supplier<MeshConfig> mesh) {
    }

    private final KubernetesClient client;
    private final Sources sources;
    private final CompanionPlanner planner;
    private final CompanionWriter writer;
    private final String apiVersion;
    private final WorkQueue<EntryKey> queue;
    private final List<SharedIndexInformer<GenericKubernetesResource>> ownInformers = new ArrayList<>();
    private final List<Runnable> detach = new ArrayList<>();

    /**
     * @param apiVersion the {@code networking.istio.io} version to read Gateways and DestinationRules in
     * @param retryBase the first retry delay after an API error; it doubles up to {@code retryMax}
     */
    public CompanionController(KubernetesClient client, Sources sources, CompanionPlanner planner,
            CompanionWriter writer, String apiVersion, Duration retryBase, Duration retryMax) {
        this.client = client;
        this.sources = sources;
        this.planner = planner;
        this.writer = writer;
        this.apiVersion = apiVersion;
        this.queue = new WorkQueue<>("meshguard-companions", this::reconcile, retryBase, retryMax);
    }

    public void start() {
        for (String kind : List.of("Gateway", "DestinationRule")) {
            SharedIndexInformer<GenericKubernetesResource> informer = client
                    .genericKubernetesResources(IstioKinds.context(kind, apiVersion))
                    .inAnyNamespace()
                    .withLabel(Companions.MANAGED_BY, Companions.MANAGED_BY_VALUE)
                    .runnableInformer(0);
            informer.addEventHandler(InformerEvents.anyChange(this::enqueueOwner));
            informer.start();
            ownInformers.add(informer);
        }
        var onVirtualService = InformerEvents.<GenericKubernetesResource>anyChange(vs -> {
            enqueueOwner(vs);
            enqueueEntriesRouting(vs);
        });
        sources.virtualServices().addEventHandler(onVirtualService);
        detach.add(() -> sources.virtualServices().removeEventHandler(onVirtualService));
        var onEntry = InformerEvents.<GenericKubernetesResource>anyChange(entry -> queue.add(key(entry)));
        sources.entries().addEventHandler(onEntry);
        detach.add(() -> sources.entries().removeEventHandler(onEntry));
    }

    /** True once the controller's own informers have listed. */
    public boolean hasSynced() {
        return ownInformers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Consecutive failed reconciles of an entry; 0 once one succeeds. */
    public int failures(EntryKey entry) {
        return queue.failures(entry);
    }

    /** Brings the companions of one entry in line with its plan. Throws on an API error, so the queue retries. */
    void reconcile(EntryKey key) {
        GenericKubernetesResource stored = sources.entries().getStore().getByKey(key.namespace() + "/" + key.name());
        Map<String, JsonNode> owned = owned(key);
        if (stored == null) {
            // The garbage collector deletes them in a real cluster too; doing it here covers a collector that lags.
            owned.values().forEach(writer::delete);
            return;
        }
        ServiceEntryFacts entry;
        try {
            entry = ServiceEntryReader.read(json(stored), null, 0);
        } catch (MalformedObjectException e) {
            LOG.warnf("ServiceEntry %s is unreadable; its companions are left as they are: %s", key, e.getMessage());
            return;
        }
        // The informer's store, not the index: a store is updated before any handler hears of the change.
        List<RoutingVirtualService> virtualServices = sources.virtualServices().getStore().list().stream()
                .map(vs -> RoutingVirtualService.read(json(vs))).toList();
        Plan plan = planner.plan(entry, virtualServices, sources.mesh().get());
        Set<String> planned = new HashSet<>();
        for (ObjectNode desired : plan.objects()) {
            String reference = Companions.reference(desired);
            planned.add(reference);
            JsonNode actual = owned.get(reference);
            if (actual == null) {
                JsonNode squatter = cached(desired);
                if (squatter != null && !managed(squatter)) {
                    LOG.warnf("%s %s/%s exists and is not meshguard's; not writing it for ServiceEntry %s",
                            desired.path("kind").asText(), key.namespace(), desired.path("metadata").path("name")
                                    .asText(), key);
                    continue;
                }
            }
            if (actual == null || !upToDate(actual, desired)) {
                writer.apply(desired);
            }
        }
        for (Map.Entry<String, JsonNode> companion : owned.entrySet()) {
            if (!planned.contains(companion.getKey())) {
                writer.delete(companion.getValue());
                if (companion.getKey().equals("VirtualService/" + key.name() + Companions.SNI_SUFFIX)
                        && !plan.yields().isEmpty()) {
                    yielded(stored, companion.getKey(), plan);
                }
            }
        }
    }

    /**
     * The companions in the caches that belong to the entry named {@code key}: labelled as meshguard's, in its
     * namespace, and controlled by an entry of that name (this one, or an earlier one of the same name).
     */
    private Map<String, JsonNode> owned(EntryKey key) {
        Map<String, JsonNode> owned = new LinkedHashMap<>();
        List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>(ownInformers);
        informers.add(sources.virtualServices());
        for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
            for (GenericKubernetesResource object : informer.getStore().list()) {
                if (!key.namespace().equals(object.getMetadata().getNamespace())) {
                    continue;
                }
                JsonNode json = json(object);
                if (managed(json) && ownerName(json).equals(key.name())) {
                    owned.put(Companions.reference(json), json);
                }
            }
        }
        return owned;
    }

    private JsonNode cached(JsonNode desired) {
        String kind = desired.path("kind").asText();
        String key = desired.path("metadata").path("namespace").asText() + "/"
                + desired.path("metadata").path("name").asText();
        SharedIndexInformer<GenericKubernetesResource> informer = switch (kind) {
            case "VirtualService" -> sources.virtualServices();
            case "Gateway" -> ownInformers.get(0);
            default -> ownInformers.get(1);
        };
        GenericKubernetesResource object = informer.getStore().getByKey(key);
        return object == null ? null : json(object);
    }

    private void yielded(GenericKubernetesResource entry, String companion, Plan plan) {
        String message = "meshguard deleted its " + companion + ": "
                + String.join(" ", plan.yields().stream().map(Plan.Yield::message).toList());
        String now = Instant.now().toString();
        client.v1().events().inNamespace(entry.getMetadata().getNamespace()).resource(new EventBuilder()
                .withNewMetadata()
                .withName(entry.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(entry.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(entry.getApiVersion())
                        .withKind(entry.getKind())
                        .withNamespace(entry.getMetadata().getNamespace())
                        .withName(entry.getMetadata().getName())
                        .withUid(entry.getMetadata().getUid())
                        .build())
                .withType("Normal")
                .withReason(YIELDED_REASON)
                .withMessage(message)
                .withNewSource().withComponent("meshguard").endSource()
                .withReportingComponent("meshguard")
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build()).create();
        LOG.infof("ServiceEntry %s/%s: %s", entry.getMetadata().getNamespace(), entry.getMetadata().getName(), message);
    }

    /** The entries in the VirtualService's namespace scope that declare one of its hosts. */
    private void enqueueEntriesRouting(GenericKubernetesResource virtualService) {
        JsonNode json = json(virtualService);
        Set<String> hosts = new HashSet<>();
        json.path("spec").path("hosts").forEach(h -> hosts.add(h.asText()));
        for (GenericKubernetesResource entry : sources.entries().getStore().list()) {
            JsonNode entryJson = json(entry);
            for (JsonNode host : entryJson.path("spec").path("hosts")) {
                if (hosts.contains(host.asText())) {
                    queue.add(key(entry));
                    break;
                }
            }
        }
    }

    private void enqueueOwner(GenericKubernetesResource companion) {
        JsonNode json = json(companion);
        if (managed(json) && !ownerName(json).isEmpty()) {
            queue.add(new EntryKey(companion.getMetadata().getNamespace(), ownerName(json)));
        }
    }

    /** True when {@code actual} already carries everything {@code desired} sets, so no write is needed. */
    static boolean upToDate(JsonNode actual, JsonNode desired) {
        if (!actual.path("spec").equals(desired.path("spec"))) {
            return false;
        }
        JsonNode labels = actual.path("metadata").path("labels");
        for (Iterator<Map.Entry<String, JsonNode>> it = desired.path("metadata").path("labels").fields();
                it.hasNext();) {
            Map.Entry<String, JsonNode> label = it.next();
            if (!label.getValue().equals(labels.path(label.getKey()))) {
                return false;
            }
        }
        for (JsonNode wanted : desired.path("metadata").path("ownerReferences")) {
            boolean found = false;
            for (JsonNode reference : actual.path("metadata").path("ownerReferences")) {
                found |= reference.equals(wanted);
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static boolean managed(JsonNode object) {
        return Companions.MANAGED_BY_VALUE.equals(
                object.path("metadata").path("labels").path(Companions.MANAGED_BY).asText());
    }

    /** The name of the ServiceEntry that controls this object, or "" when none does. */
    private static String ownerName(JsonNode object) {
        for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
            if ("ServiceEntry".equals(reference.path("kind").asText()) && reference.path("controller").asBoolean()) {
                return reference.path("name").asText();
            }
        }
        return "";
    }

    private static EntryKey key(GenericKubernetesResource entry) {
        return new EntryKey(entry.getMetadata().getNamespace(), entry.getMetadata().getName());
    }

    private JsonNode json(GenericKubernetesResource object) {
        return client.getKubernetesSerialization().convertValue(object, JsonNode.class);
    }

    @Override
    public void close() {
        detach.forEach(Runnable::run);
        queue.close();
        ownInformers.forEach(SharedIndexInformer::close);
    }
}
