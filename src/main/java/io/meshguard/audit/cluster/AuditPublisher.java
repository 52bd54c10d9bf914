package io.meshguard.audit.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.meshguard.audit.AuditFinding;
import io.meshguard.audit.AuditFinding.Subject;
import io.meshguard.audit.AuditResult;
import io.meshguard.mesh.EntryKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Publishes an audit to the cluster, from the leader only:
 * <ul>
 * <li>one report per ServiceEntry (or Gateway) with failures (its failures only), in its namespace, owned by it so
 *     that Kubernetes deletes it with the object; deleted by meshguard when the object has no failure left. A
 *     ServiceEntry's report is {@code meshguard-<name>}, a Gateway's {@code meshguard-gateway-<name>};</li>
 * <li>one Warning Event on an object that loses traffic, each time its failures change (not on every scan).</li>
 * </ul>
 * VirtualServices are only warned about, so they get no report or Event: {@code GET /audit} and the metrics list
 * them.
 * A report is written only when the entry's failures changed: each report carries a fingerprint of them
 * ({@value #FINGERPRINT}), read back when a replica becomes the leader, so a new leader writes nothing for what it
 * finds unchanged. At most {@code maxWritesPerScan} writes (reports and Events together) happen per scan; the rest
 * wait for the next scan, which {@link #publish} asks for by returning true.
 *
 * <p>Writes go through create, or update with the stored {@code resourceVersion} (a conflict waits for the next scan):
 * the same path against a real API server and fabric8's CRUD mock.
 */
public final class AuditPublisher {

    private static final Logger LOG = Logger.getLogger(AuditPublisher.class);

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String FINGERPRINT = "meshguard.io/findings";
    public static final String ENTRY_LABEL = "meshguard.io/serviceentry";
    /** The label naming a Gateway's report's Gateway ({@code meshguard.io/<kind in lower case>} in general). */
    public static final String GATEWAY_LABEL = "meshguard.io/gateway";
    static final int EVENT_MESSAGE_LIMIT = 1024;

    /** What the publisher did, for metrics. */
    public interface Recorder {
        void reportWritten(String operation);

        void eventRecorded();

        void writeFailed(String what);
    }

    private final KubernetesClient client;
    private final ReportKind kind;
    private final String entryApiVersion;
    private final int maxWritesPerScan;
    private final String identity;
    private final Recorder recorder;
    /** Object → fingerprint of the failures its report holds, as the API server has it. */
    private final Map<Subject, String> reported = new HashMap<>();
    /** Object → fingerprint of the failures its last Event told. */
    private final Map<Subject, String> announced = new HashMap<>();
    private boolean reportsAvailable;
    private boolean started;

    /** @param kind null: no reports, Events only */
    public AuditPublisher(KubernetesClient client, ReportKind kind, String entryApiVersion, int maxWritesPerScan,
            String identity, Recorder recorder) {
        this.client = client;
        this.kind = kind;
        this.entryApiVersion = entryApiVersion;
        this.maxWritesPerScan = maxWritesPerScan;
        this.identity = identity;
        this.recorder = recorder;
    }

    /**
     * Called once per leadership term, before the first publish: finds out whether the report kind is served, and
     * reads back the reports meshguard wrote before (by any leader).
     */
    public synchronized void start() {
        reported.clear();
        announced.clear();
        reportsAvailable = kind != null && served(kind);
        if (kind == null) {
            LOG.info("audit reports are switched off (meshguard.audit.reports=none); Events only");
        } else if (!reportsAvailable) {
            LOG.infof("audit reports skipped: the API server does not serve %s %s (is its CRD installed?)",
                    kind.apiVersion(), kind.kind);
        } else {
            for (GenericKubernetesResource report : client.genericKubernetesResources(kind.context()).inAnyNamespace()
                    .withLabel(MANAGED_BY, "meshguard").list().getItems()) {
                Map<String, String> annotations = report.getMetadata().getAnnotations();
                String fingerprint = annotations == null ? null : annotations.get(FINGERPRINT);
                Map<String, String> labels = report.getMetadata().getLabels();
                for (String kind : List.of(AuditFinding.SERVICE_ENTRY, AuditFinding.GATEWAY)) {
                    String entry = labels == null ? null : labels.get(label(kind));
                    if (fingerprint != null && entry != null) {
                        Subject key = new Subject(kind, new EntryKey(report.getMetadata().getNamespace(),
                                entryName(report, kind, entry)));
                        reported.put(key, fingerprint);
                        announced.put(key, fingerprint);
                    }
                }
            }
            LOG.infof("audit reports: %s %s, %d found from earlier scans", kind.apiVersion(), kind.kind,
                    reported.size());
        }
        started = true;
    }

    public synchronized boolean reportsAvailable() {
        return reportsAvailable;
    }

    /** @return true when writes were left for the next scan (the budget ran out, or a write failed) */
    public synchronized boolean publish(AuditResult result) {
        if (!started) {
            start();
        }
        Map<Subject, List<AuditFinding>> failures = new LinkedHashMap<>();
        result.byEntry().forEach((entry, findings) -> {
            List<AuditFinding> failed = findings.stream().filter(AuditFinding::failure).toList();
            if (!failed.isEmpty()) {
                failures.put(entry, failed);
            }
        });
        int budget = maxWritesPerScan;
        boolean left = false;
        for (Map.Entry<Subject, List<AuditFinding>> entry : failures.entrySet()) {
            String fingerprint = fingerprint(entry.getValue());
            boolean loses = entry.getValue().stream().anyMatch(AuditFinding::losesTraffic);
            if (loses && !fingerprint.equals(announced.get(entry.getKey()))) {
                if (budget == 0) {
                    left = true;
                    break;
                }
                budget--;
                if (recordEvent(entry.getKey(), entry.getValue(), fingerprint)) {
                    announced.put(entry.getKey(), fingerprint);
                } else {
                    left = true;
                }
            }
            if (reportsAvailable && !fingerprint.equals(reported.get(entry.getKey()))) {
                if (budget == 0) {
                    left = true;
                    break;
                }
                budget--;
                if (writeReport(entry.getKey(), entry.getValue(), fingerprint, result.startedMillis())) {
                    reported.put(entry.getKey(), fingerprint);
                } else {
                    left = true;
                }
            }
        }
        announced.keySet().removeIf(key -> !failures.containsKey(key));
        for (Subject gone : new ArrayList<>(reported.keySet())) {
            if (failures.containsKey(gone)) {
                continue;
            }
            if (budget == 0) {
                left = true;
                break;
            }
            budget--;
            if (deleteReport(gone)) {
                reported.remove(gone);
            } else {
                left = true;
            }
        }
        return left;
    }

    private boolean writeReport(Subject subject, List<AuditFinding> failures, String fingerprint,
            long scannedMillis) {
        GenericKubernetesResource desired = report(subject, failures, fingerprint, scannedMillis);
        var reports = client.genericKubernetesResources(kind.context()).inNamespace(subject.key().namespace());
        try {
            GenericKubernetesResource current = reports.withName(desired.getMetadata().getName()).get();
            if (current != null && !about(current, subject)) {
                // A ServiceEntry named gateway-x and a Gateway named x share a report name: the first report stays.
                LOG.warnf("audit report %s/%s is about another object; the report for %s is not written (its Event"
                        + " still is)", subject.key().namespace(), desired.getMetadata().getName(), subject);
                return true;
            }
            if (current == null) {
                reports.resource(desired).create();
                recorder.reportWritten("create");
            } else {
                desired.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
                reports.resource(desired).update();
                recorder.reportWritten("update");
            }
            return true;
        } catch (KubernetesClientException e) {
            recorder.writeFailed("report");
            LOG.warnf("audit report for %s not written (%d %s); the next scan tries again", subject,
                    e.getCode(), e.getMessage());
            return false;
        }
    }

    private boolean deleteReport(Subject subject) {
        try {
            var report = client.genericKubernetesResources(kind.context()).inNamespace(subject.key().namespace())
                    .withName(reportName(subject));
            GenericKubernetesResource current = report.get();
            if (current == null || !about(current, subject)) {
                return true;
            }
            report.delete();
            recorder.reportWritten("delete");
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return true;
            }
            recorder.writeFailed("report");
            LOG.warnf("audit report for %s not deleted (%d %s); the next scan tries again", subject,
                    e.getCode(), e.getMessage());
            return false;
        }
    }

    /** Unique per entry, change of findings and moment: "<entry>.<time>.<fingerprint>", as kubectl's are. */
    private static String eventName(EntryKey entry, String fingerprint) {
        String name = entry.name().length() > 200 ? entry.name().substring(0, 200) : entry.name();
        return name + "." + Long.toHexString(System.currentTimeMillis()) + "." + fingerprint.substring(0, 8);
    }

    private boolean recordEvent(Subject subject, List<AuditFinding> failures, String fingerprint) {
        EntryKey entry = subject.key();
        AuditFinding first = failures.stream().filter(AuditFinding::losesTraffic).findFirst().orElse(failures.get(0));
        String message = failures.stream().filter(AuditFinding::losesTraffic).map(AuditFinding::summary)
                .collect(Collectors.joining("; "));
        message = (subject.kind().equals(AuditFinding.GATEWAY)
                ? "istiod does not serve all of it where another Gateway keeps the port or host: "
                : "gets no traffic where another entry keeps the listener: ") + message;
        if (message.length() > EVENT_MESSAGE_LIMIT) {
            message = message.substring(0, EVENT_MESSAGE_LIMIT - 3) + "...";
        }
        String now = Instant.now().toString();
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(eventName(entry, fingerprint))
                .withNamespace(entry.namespace())
                .addToLabels(MANAGED_BY, "meshguard")
                .endMetadata()
                .withInvolvedObject(reference(subject, first.entryUid()))
                .withType("Warning")
                .withReason(first.code())
                .withMessage(message)
                .withNewSource().withComponent("meshguard").endSource()
                .withReportingComponent("meshguard")
                .withReportingInstance(identity)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(entry.namespace()).resource(event).create();
            recorder.eventRecorded();
            return true;
        } catch (KubernetesClientException e) {
            recorder.writeFailed("event");
            LOG.warnf("Event on %s not recorded (%d %s); the next scan tries again", subject, e.getCode(),
                    e.getMessage());
            return false;
        }
    }

    GenericKubernetesResource report(Subject subject, List<AuditFinding> failures, String fingerprint,
            long scannedMillis) {
        EntryKey entry = subject.key();
        GenericKubernetesResource report = new GenericKubernetesResource();
        report.setApiVersion(kind.apiVersion());
        report.setKind(kind.kind);
        String uid = failures.get(0).entryUid();
        report.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
                .withName(reportName(subject))
                .withNamespace(entry.namespace())
                .addToLabels(MANAGED_BY, "meshguard")
                .addToLabels(label(subject.kind()), labelValue(entry.name()))
                .addToAnnotations(FINGERPRINT, fingerprint)
                .addToAnnotations(label(subject.kind()) + "-name", entry.name())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(entryApiVersion)
                        .withKind(subject.kind()).withName(entry.name()).withUid(uid).withController(false)
                        .withBlockOwnerDeletion(false).build())
                .build());
        Map<String, Object> scope = referenceMap(subject, uid);
        List<Map<String, Object>> results = new ArrayList<>();
        for (AuditFinding failure : failures) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("source", "meshguard");
            result.put("policy", failure.code());
            result.put("rule", failure.port() > 0 ? "port " + failure.port() : failure.code());
            result.put("category", subject.kind().equals(AuditFinding.GATEWAY) ? "Istio gateways" : "Istio listeners");
            result.put("severity", failure.losesTraffic() ? "high" : "medium");
            result.put("result", "fail");
            result.put("scored", true);
            result.put("message", failure.message());
            result.put("timestamp", Map.of("seconds", scannedMillis / 1000, "nanos", 0));
            result.put("resources", List.of(scope));
            Map<String, String> properties = new LinkedHashMap<>();
            if (failure.other() != null) {
                properties.put("otherEntry", failure.other().toString());
            }
            if (failure.listener() != null) {
                properties.put("listener", failure.listener());
            }
            if (failure.workload() != null) {
                properties.put("workload", failure.workload());
            }
            if (!failure.namespaces().isEmpty()) {
                properties.put("namespaces", String.join(",", failure.namespaces()));
            }
            if (!failure.keptBy().isEmpty()) {
                properties.put("keptBy", failure.keptBy().stream()
                        .map(k -> k.entry() + (k.namespaces().isEmpty() ? "" : " in " + String.join(",",
                                k.namespaces())) + " (" + k.reason() + ")")
                        .collect(Collectors.joining("; ")));
            }
            if (failure.fix() != null) {
                properties.put("fix", failure.fix());
            }
            result.put("properties", properties);
            results.add(result);
        }
        report.setAdditionalProperty("source", "meshguard");
        report.setAdditionalProperty("scope", scope);
        report.setAdditionalProperty("summary", Map.of("pass", 0, "fail", failures.size(), "warn", 0, "error", 0,
                "skip", 0));
        report.setAdditionalProperty("results", results);
        return report;
    }

    private ObjectReference reference(Subject subject, String uid) {
        return new ObjectReferenceBuilder().withApiVersion(entryApiVersion).withKind(subject.kind())
                .withName(subject.key().name()).withNamespace(subject.key().namespace()).withUid(uid).build();
    }

    private Map<String, Object> referenceMap(Subject subject, String uid) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("apiVersion", entryApiVersion);
        reference.put("kind", subject.kind());
        reference.put("name", subject.key().name());
        reference.put("namespace", subject.key().namespace());
        reference.put("uid", uid);
        return reference;
    }

    /** The report's name: a ServiceEntry's as {@link #reportName(String)}, another kind's with the kind too. */
    public static String reportName(Subject subject) {
        return subject.kind().equals(AuditFinding.SERVICE_ENTRY) ? reportName(subject.key().name())
                : reportName(subject.kind().toLowerCase(java.util.Locale.ROOT) + "-" + subject.key().name());
    }

    /** Whether {@code report} is meshguard's report about {@code subject} (its kind's label names it). */
    private static boolean about(GenericKubernetesResource report, Subject subject) {
        Map<String, String> labels = report.getMetadata().getLabels();
        return labels != null && labelValue(subject.key().name()).equals(labels.get(label(subject.kind())));
    }

    /** The label that names the object a report is about: {@code meshguard.io/serviceentry}, ... */
    static String label(String kind) {
        return "meshguard.io/" + kind.toLowerCase(java.util.Locale.ROOT);
    }

    /** The report's name: the entry's, prefixed, shortened with a hash when too long for a name. */
    public static String reportName(String entry) {
        String name = "meshguard-" + entry;
        return name.length() <= 253 ? name : name.substring(0, 240) + "-" + sha256(entry).substring(0, 12);
    }

    private static String labelValue(String entry) {
        return entry.length() <= 63 ? entry : sha256(entry).substring(0, 63);
    }

    private static String entryName(GenericKubernetesResource report, String kind, String label) {
        Map<String, String> annotations = report.getMetadata().getAnnotations();
        String annotation = label(kind) + "-name";
        return annotations != null && annotations.get(annotation) != null ? annotations.get(annotation) : label;
    }

    /** A fingerprint of an entry's failures: what a report says, without when it was said. */
    static String fingerprint(List<AuditFinding> failures) {
        String text = failures.stream().map(f -> f.code() + "|" + f.other() + "|" + f.port() + "|" + f.listener()
                + "|" + f.namespaces() + "|" + f.keptBy() + "|" + f.entryUid() + "|" + f.message()
                + (f.workload() == null ? "" : "|" + f.workload()))
                .sorted().collect(Collectors.joining("\n"));
        return sha256(text).substring(0, 32);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private boolean served(ReportKind wanted) {
        try {
            APIResourceList resources = client.getApiResources(wanted.apiVersion());
            if (resources == null || resources.getResources() == null) {
                return false;
            }
            for (APIResource resource : resources.getResources()) {
                if (wanted.plural.equals(resource.getName())) {
                    return true;
                }
            }
            return false;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
