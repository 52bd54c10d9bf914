package io.meshguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.IstiodValidationValidator;
import io.meshguard.admission.KindRoute;
import io.meshguard.admission.Operation;
import io.meshguard.admission.Outcome;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code meshguard check}'s engine: what the webhook would answer to {@code kubectl apply} of some manifests, offline.
 *
 * <p>The cluster's entries (the output of {@code kubectl get serviceentries -A -o yaml}) are confirmed into a
 * {@link ServiceEntryIndex}, as the standalone webhook preloads them. Then each ServiceEntry of the manifests, in file
 * order, goes through the webhook's own ServiceEntry route, istiod's validation and then the index's review, as an
 * AdmissionReview from the API server would: CREATE, or UPDATE of the entry already stored under its namespace/name
 * (from the cluster or an earlier manifest). What is allowed is recorded in the index, as the standalone webhook
 * learns, so a later manifest is judged against it; a manifest counts as newer than every entry before it.
 */
public final class Check {

    /** What the webhook said about one manifest. */
    public record Reviewed(Path file, int line, String where, EntryKey key, Operation operation, Decision decision,
            String kind) {

        /** A ServiceEntry's. */
        public Reviewed(Path file, int line, String where, EntryKey key, Operation operation, Decision decision) {
            this(file, line, where, key, operation, decision, IstioNetworking.SERVICE_ENTRY);
        }
    }

    /**
     * @param reviewed the manifests' ServiceEntries, Gateways and VirtualServices, in file order
     * @param problems inputs that could not be read, by file and line
     * @param clusterEntries the objects read from the cluster state
     * @param files the manifest files read
     * @param otherKinds manifest objects of other kinds, skipped
     */
    public record Result(List<Reviewed> reviewed, List<ManifestLoader.Problem> problems, int clusterEntries,
            int files, int otherKinds) {
    }

    /** The apart-ness of the creation times given to manifests without one, in file order. */
    private static final long STEP_MILLIS = 1000;

    private final MeshConfig mesh;
    private final String defaultNamespace;
    private final ManifestLoader loader = new ManifestLoader();

    /** @param defaultNamespace the namespace of a manifest that names none, as kubectl's context would give it */
    public Check(MeshConfig mesh, String defaultNamespace) {
        this.mesh = mesh;
        this.defaultNamespace = defaultNamespace;
    }

    public Result run(List<String> manifests, List<String> clusterState, InputStream stdin) {
        long now = System.currentTimeMillis();
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, Long.MAX_VALUE / 4);
        index.setMesh(mesh);
        List<ManifestLoader.Problem> problems = new ArrayList<>();
        Map<EntryKey, JsonNode> stored = new HashMap<>();
        long[] latest = {now};
        GatewayCheck gateways = new GatewayCheck(defaultNamespace, now);

        ManifestLoader.Scan cluster = loader.scan(clusterState, stdin, (file, line, where, object) -> {
            if (gateways.cluster(file, line, where, object, problems)) {
                return true;
            }
            if (!isServiceEntry(object)) {
                return false;
            }
            try {
                ServiceEntryFacts facts = ServiceEntryReader.read(object, defaultNamespace, now);
                if (stored.putIfAbsent(facts.key(), object) != null) {
                    problems.add(new ManifestLoader.Problem(file, line, where + "ServiceEntry " + facts.key()
                            + " is in the cluster state twice; the first is kept"));
                    return true;
                }
                index.confirm(facts);
                latest[0] = Math.max(latest[0], facts.createdMillis());
            } catch (MalformedObjectException e) {
                problems.add(new ManifestLoader.Problem(file, line, where + "ServiceEntry " + describe(object) + ": "
                        + e.getMessage()));
            }
            return true;
        });
        problems.addAll(cluster.problems());
        int clusterEntries = stored.size() + gateways.clusterObjects();

        long[] clock = {latest[0]};
        KindRoute<ServiceEntryFacts> route = IstioNetworking.serviceEntries(() -> clock[0])
                .validator(IstiodValidationValidator.over(index))
                .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                        ServiceEntryIndexValidator.Learning.LEARN))
                .build();
        List<Reviewed> reviewed = new ArrayList<>();
        ManifestLoader.Scan scan = loader.scan(manifests, stdin, (file, line, where, object) -> {
            if (gateways.manifest(file, line, where, object, reviewed, problems)) {
                return true;
            }
            if (!isServiceEntry(object)) {
                if (IstioNetworking.SERVICE_ENTRY.equals(object.path("kind").asText())) {
                    problems.add(new ManifestLoader.Problem(file, line, where + "ServiceEntry " + describe(object)
                            + " has apiVersion '" + object.path("apiVersion").asText("") + "', not "
                            + IstioNetworking.GROUP + "/<version>: kubectl could not apply it"));
                    return true;
                }
                return false;
            }
            clock[0] += STEP_MILLIS;
            try {
                reviewed.add(review(route, stored, file, line, where, (ObjectNode) object, reviewed.size()));
            } catch (RuntimeException e) {
                problems.add(new ManifestLoader.Problem(file, line, where + "ServiceEntry " + describe(object)
                        + " could not be checked: " + e));
            }
            return true;
        });
        gateways.finish(reviewed, problems);
        problems.addAll(scan.problems());
        return new Result(List.copyOf(reviewed), List.copyOf(problems), clusterEntries,
                scan.files(), scan.otherKinds());
    }

    /** One manifest as the API server would send it to the validating webhook. */
    private Reviewed review(KindRoute<ServiceEntryFacts> route, Map<EntryKey, JsonNode> stored, Path file, int line,
            String where, ObjectNode manifest, int sequence) {
        return review(route, IstioNetworking.SERVICE_ENTRY, "serviceentries", stored, defaultNamespace,
                "meshguard-check-" + sequence, file, line, where, manifest);
    }

    /**
     * One manifest of {@code kind} as the API server would send it: a CREATE, or an UPDATE of what {@code stored}
     * holds under its name, which it then replaces when allowed.
     */
    static <T> Reviewed review(KindRoute<T> route, String kind, String resource, Map<EntryKey, JsonNode> stored,
            String defaultNamespace, String uid, Path file, int line, String where, ObjectNode manifest) {
        ObjectNode object = manifest.deepCopy();
        ObjectNode metadata = object.path("metadata").isObject() ? (ObjectNode) object.get("metadata")
                : object.putObject("metadata");
        String namespace = metadata.path("namespace").asText("");
        if (namespace.isEmpty()) {
            namespace = defaultNamespace;
            metadata.put("namespace", namespace);
        }
        String name = metadata.path("name").asText("");
        EntryKey key = new EntryKey(namespace, name);
        JsonNode old = stored.get(key);
        keepStoredIdentity(metadata, old);
        String apiVersion = object.path("apiVersion").asText("");
        int slash = apiVersion.indexOf('/');
        Operation operation = old == null ? Operation.CREATE : Operation.UPDATE;
        AdmissionRequestView request = new AdmissionRequestView("admission.k8s.io/v1", uid, IstioNetworking.GROUP,
                apiVersion.substring(slash + 1), kind, resource, operation, namespace, name, false, object, old);
        Outcome outcome = route.validate(request);
        // Only generateName: the API server names it later, so no later manifest can be an UPDATE of it.
        if (outcome.allowed() && !name.isEmpty()) {
            stored.put(key, object);
        }
        return new Reviewed(file, line, where, key, operation, outcome.decision(), kind);
    }

    static boolean isServiceEntry(JsonNode object) {
        return IstioNetworking.SERVICE_ENTRY.equals(object.path("kind").asText())
                && object.path("apiVersion").asText("").startsWith(IstioNetworking.GROUP + "/");
    }

    private static String describe(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return metadata.path("namespace").asText("?") + "/" + metadata.path("name").asText("?");
    }

    /** The API server keeps what a stored object says of itself on an UPDATE: its uid and creation time. */
    static void keepStoredIdentity(ObjectNode metadata, JsonNode stored) {
        if (stored == null) {
            return;
        }
        JsonNode storedMetadata = stored.path("metadata");
        for (String kept : List.of("uid", "creationTimestamp")) {
            if (storedMetadata.hasNonNull(kept)) {
                metadata.set(kept, storedMetadata.get(kept));
            }
        }
    }
}
