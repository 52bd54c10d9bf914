package io.meshguard.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "meshguard")
public interface MeshguardConfig {

    /**
     * {@code standalone}: no cluster; the index learns from the reviews it allows. {@code cluster}: informers
     * feed the index. {@code auto}: cluster when running in a pod (KUBERNETES_SERVICE_HOST is set).
     */
    @WithDefault("auto")
    String mode();

    /** How long an allowed entry is held in the index while the informer has not reported it. */
    @WithDefault("30s")
    Duration reservationTtl();

    /**
     * A request whose body has not fully arrived by then is cut off (its connection closed). The API server gives a
     * webhook at most 30 s, so nothing slower is a real review.
     */
    @WithDefault("30s")
    Duration requestDeadline();

    /**
     * A request head (request line and headers) must arrive whole within this long of its first byte, or the client
     * is answered 408 and closed. The idle timeout cannot do this: one byte resets it.
     */
    @WithDefault("5s")
    Duration headTimeout();

    Tls tls();

    Cluster cluster();

    Standalone standalone();

    Companions companions();

    Enforcement enforcement();

    Audit audit();

    FailClosed failClosed();

    /** The audit of stored entries (docs/rollout.md). */
    interface Audit {
        /** False: no background audit, no reports or Events; {@code GET /audit} still audits on demand. */
        @WithDefault("true")
        boolean enabled();

        /** A full audit at least this often, changes or not. */
        @WithDefault("10m")
        Duration interval();

        /** After the index changes, the audit runs once it has been quiet this long. */
        @WithDefault("5s")
        Duration debounce();

        /** {@code openreports} (openreports.io/v1alpha1 Report), {@code policyreport} (wgpolicyk8s.io/v1alpha2), {@code none}. */
        @WithDefault("openreports")
        String reports();

        /** Report writes and Events per scan, at most; the rest wait for the next scan. */
        @WithDefault("100")
        int maxWritesPerScan();

        /** The Lease that elects the one replica that audits and writes reports; in the pod's namespace. */
        @WithDefault("meshguard-audit")
        String leaseName();
    }

    /**
     * Fail-open until proven: the validating webhook is installed with {@code failurePolicy: Ignore}, and the audit
     * leader switches it to {@code Fail} once a dry-run create of a colliding ServiceEntry through the API server is
     * denied by meshguard.
     */
    interface FailClosed {
        /** False pins the installed policy: meshguard never patches its webhook configuration. */
        @WithDefault("true")
        boolean enabled();

        /** The ValidatingWebhookConfiguration to switch, and the webhook in it. */
        @WithDefault("meshguard")
        String configuration();

        @WithDefault("validate.serviceentries.meshguard.io")
        String webhook();

        /** Where the self-test's two ServiceEntries live (one stored, one only dry-run); no workload runs there. */
        @WithDefault("meshguard-selftest")
        String namespace();

        /** How often a failed self-test is tried again, and the policy checked (an apply may have reset it). */
        @WithDefault("1m")
        Duration period();
    }

    /** What meshguard does with a finding that would deny an entry: docs/rollout.md. */
    interface Enforcement {
        /** {@code deny}, {@code warn} or {@code audit}, where the file below names no other mode. */
        @WithName("default")
        @WithDefault("deny")
        String defaultMode();

        /**
         * A file of modes per namespace pattern and per finding code (mounted from a ConfigMap); read again when its
         * content changes, without a restart. Its {@code default} line, if any, overrides {@code meshguard.enforcement.default}.
         */
        Optional<String> file();

        /** How often the file is looked at for a change (at most; only when a review asks for the policy). */
        @WithDefault("5s")
        Duration checkPeriod();
    }

    /** The serving certificate; Quarkus's TLS registry reads these files and reloads them when they change. */
    interface Tls {
        String certFile();

        String keyFile();
    }

    interface Cluster {
        /** The ServiceEntry version to watch; one schema serves them all. */
        @WithDefault("v1")
        String serviceEntryVersion();

        @WithDefault("istio-system")
        String meshConfigNamespace();

        @WithDefault("istio")
        String meshConfigName();

        @WithDefault("mesh")
        String meshConfigKey();
    }

    interface Standalone {
        /** MeshConfig {@code defaultServiceExportTo} to assume when there is no cluster. */
        Optional<List<String>> defaultServiceExportTo();

        /** MeshConfig {@code ISTIO_META_DNS_CAPTURE} to assume when there is no cluster. */
        @WithDefault("false")
        boolean dnsCapture();

        /**
         * A folder of ServiceEntry manifests (YAML or JSON, multi-document, {@code kind: List} too) loaded into
         * the index at start, as if the cluster held them. Bad documents are logged by file and line; the rest load.
         */
        Optional<String> preloadDir();
    }

    /** What the planner generates and how the controller writes it; docs/configuration.md lists every key. */
    interface Companions {

        Sni sni();

        Egress egress();

        Controller controller();

        interface Sni {
            /** False switches the SNI VirtualService off for every entry. */
            @WithDefault("true")
            boolean enabled();
        }

        interface Egress {
            /** The namespace the default egress gateway runs in. */
            @WithDefault("istio-system")
            String namespace();

            @WithDefault("istio-egressgateway.istio-system.svc.cluster.local")
            String serviceHost();

            /** The labels of the default egress gateway's pods, {@code key=value[,key=value]}. */
            @WithDefault("istio=egressgateway")
            String selector();

            @WithDefault("80")
            int httpPort();

            @WithDefault("443")
            int tlsPort();

            /** The ports the egress gateway Service exposes. */
            @WithDefault("80,443")
            List<Integer> servicePorts();

            /** A DestinationRule subset for the gateway, as in Istio's egress task; unset means no DestinationRule. */
            Optional<String> subset();

            @WithDefault("cluster.local")
            String clusterDomain();
        }

        interface Controller {
            /** False: this deployment only answers admission reviews and writes no companions. */
            @WithDefault("true")
            boolean enabled();

            /** {@code server-side-apply} (for a real API server) or {@code update} (create, then update with resourceVersion). */
            @WithDefault("server-side-apply")
            String writePath();

            /** The Lease that elects the one replica that writes; its namespace defaults to the pod's. */
            @WithDefault("meshguard-companions")
            String leaseName();

            Optional<String> leaseNamespace();

            /** The wait before retrying an entry whose reconcile failed; it doubles on each further failure. */
            @WithDefault("500ms")
            Duration retryFirst();

            /** The longest wait between retries of one entry. */
            @WithDefault("2m")
            Duration retryMax();

            /** How long a Lease holder stays leader without renewing. */
            @WithDefault("15s")
            Duration leaseDuration();

            /** How long the leader keeps trying to renew before it steps down; shorter than the lease duration. */
            @WithDefault("10s")
            Duration leaseRenewDeadline();

            /** How often a replica tries to take or renew the Lease; shorter than the renew deadline. */
            @WithDefault("2s")
            Duration leaseRetryPeriod();
        }
    }
}
