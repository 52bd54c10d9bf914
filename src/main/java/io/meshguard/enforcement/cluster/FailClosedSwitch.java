package io.meshguard.enforcement.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

/**
 * Fail-open until proven, then fail-closed, as istiod's validation controller does ({@code readyForFailClose}): the
 * validating webhook is installed with {@code failurePolicy: Ignore}, so that a meshguard that is not running yet
 * (or not reachable from the API server) blocks nobody. This switch proves the whole path works before it sets
 * {@code Fail}: it asks the API server for a server-side dry-run create of a ServiceEntry that collides with one
 * stored for the purpose, and only when meshguard's webhook denies it does it patch the webhook's policy to
 * {@code Fail}.
 *
 * <p>The pair lives in a namespace of its own, exported only there ({@code exportTo: ["."]}), where no workload runs:
 * it changes no proxy. The stored half (the anchor) is created when missing; a dry run never stores the other.
 * The API server reaches any replica, so the first probe after the anchor appears is made at the next check, once
 * the informers have had time to deliver it.
 */
public final class FailClosedSwitch {

    private static final Logger LOG = Logger.getLogger(FailClosedSwitch.class);

    public static final String ANCHOR = "meshguard-selftest-anchor";
    public static final String PROBE = "meshguard-selftest-probe";
    static final int PORT = 9;
    static final ResourceDefinitionContext ENTRIES = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("ServiceEntry").withPlural("serviceentries")
            .withNamespaced(true).build();

    /** What one check found or did. */
    public enum Outcome {
        /** The policy was Ignore; the probe was denied by meshguard; the policy is now Fail. */
        SWITCHED,
        /** The policy is already Fail: nothing to prove. */
        ALREADY_FAIL,
        /** The probe was admitted: meshguard is not denying (a warn or audit mode, or another replica's gap). */
        PROBE_ALLOWED,
        /** The probe was refused, but not by meshguard's webhook (or the patch failed): the policy stays. */
        ERROR,
        /** The anchor was missing and has just been stored; the probe comes at the next check. */
        ANCHOR_CREATED,
        /** There is no such webhook configuration or webhook. */
        MISSING
    }

    /** One check's outcome and the reason, for the log and metrics. */
    public record Result(Outcome outcome, String reason) {
    }

    private final KubernetesClient client;
    private final String configuration;
    private final String webhook;
    private final String namespace;
    private final MeterRegistry registry;
    /** 1 when the policy is Fail, 0 when Ignore, -1 before the first check or when the webhook is missing. */
    private final AtomicInteger policy = new AtomicInteger(-1);

    public FailClosedSwitch(KubernetesClient client, String configuration, String webhook, String namespace,
            MeterRegistry registry) {
        this.client = client;
        this.configuration = configuration;
        this.webhook = webhook;
        this.namespace = namespace;
        this.registry = registry;
        Gauge.builder("meshguard.failclosed.policy", policy, AtomicInteger::get)
                .description("The validating webhook's failurePolicy as last seen: 1 Fail, 0 Ignore, -1 unknown")
                .register(registry);
    }

    /**
     * Checks the policy, and proves and switches when it is not Fail yet. Never throws for an API failure. Counted in
     * {@code meshguard_failclosed_checks_total{outcome}}; every outcome but a switch or Fail already is logged with
     * its reason as a warning.
     */
    public Result check() {
        Result result = checkLogged();
        Counter.builder("meshguard.failclosed.checks").description("Fail-closed checks, by outcome")
                .tag("outcome", result.outcome().name().toLowerCase(java.util.Locale.ROOT)).register(registry)
                .increment();
        policy.set(switch (result.outcome()) {
            case SWITCHED, ALREADY_FAIL -> 1;
            case MISSING -> -1;
            default -> 0;
        });
        return result;
    }

    private Result checkLogged() {
        try {
            Result result = checkOrThrow();
            switch (result.outcome()) {
                case SWITCHED -> LOG.infof("webhook %s/%s: %s", configuration, webhook, result.reason());
                case ALREADY_FAIL -> LOG.debugf("webhook %s/%s: %s", configuration, webhook, result.reason());
                default -> LOG.warnf("webhook %s/%s stays fail-open (failurePolicy Ignore): %s", configuration,
                        webhook, result.reason());
            }
            return result;
        } catch (KubernetesClientException e) {
            Result result = new Result(Outcome.ERROR, "the API server answered " + e.getCode() + ": " + e.getMessage());
            LOG.warnf("webhook %s/%s stays fail-open (failurePolicy Ignore): %s", configuration, webhook,
                    result.reason());
            return result;
        }
    }

    private Result checkOrThrow() {
        ValidatingWebhookConfiguration current = client.admissionRegistration().v1().validatingWebhookConfigurations()
                .withName(configuration).get();
        if (current == null) {
            return new Result(Outcome.MISSING, "no ValidatingWebhookConfiguration " + configuration);
        }
        int at = indexOf(current.getWebhooks(), webhook);
        if (at < 0) {
            return new Result(Outcome.MISSING, "ValidatingWebhookConfiguration " + configuration + " has no webhook "
                    + webhook);
        }
        if ("Fail".equals(current.getWebhooks().get(at).getFailurePolicy())) {
            return new Result(Outcome.ALREADY_FAIL, "failurePolicy is Fail");
        }
        var entries = client.genericKubernetesResources(ENTRIES).inNamespace(namespace);
        if (entries.withName(ANCHOR).get() == null) {
            entries.resource(entry(ANCHOR)).create();
            return new Result(Outcome.ANCHOR_CREATED, "stored the self-test's anchor ServiceEntry " + namespace + "/"
                    + ANCHOR + "; the dry-run probe follows at the next check");
        }
        try {
            entries.resource(entry(PROBE)).dryRun().create();
            return new Result(Outcome.PROBE_ALLOWED, "the dry-run create of " + namespace + "/" + PROBE
                    + ", which collides with " + ANCHOR + " on 0.0.0.0_" + PORT + ", was admitted: meshguard did not"
                    + " deny it (is the enforcement mode warn or audit there, or is the webhook not called?)");
        } catch (KubernetesClientException e) {
            String message = String.valueOf(e.getMessage());
            if (!message.contains("admission webhook \"" + webhook + "\" denied the request")) {
                return new Result(Outcome.ERROR, "the dry-run probe was refused, but not by meshguard's webhook ("
                        + e.getCode() + ": " + message + ")");
            }
        }
        String patch = "[{\"op\":\"test\",\"path\":\"/webhooks/" + at + "/name\",\"value\":\"" + webhook + "\"},"
                + "{\"op\":\"replace\",\"path\":\"/webhooks/" + at + "/failurePolicy\",\"value\":\"Fail\"}]";
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName(configuration)
                .patch(PatchContext.of(PatchType.JSON), patch);
        return new Result(Outcome.SWITCHED, "meshguard denied the dry-run self-test through the API server; "
                + "failurePolicy switched from Ignore to Fail");
    }

    private static int indexOf(List<ValidatingWebhook> webhooks, String name) {
        for (int i = 0; webhooks != null && i < webhooks.size(); i++) {
            if (name.equals(webhooks.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }

    /** One half of the self-test pair: raw TCP on one port, no addresses, seen only in its own namespace. */
    GenericKubernetesResource entry(String name) {
        GenericKubernetesResource entry = new GenericKubernetesResource();
        entry.setApiVersion("networking.istio.io/v1");
        entry.setKind("ServiceEntry");
        entry.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "meshguard")
                .addToAnnotations("meshguard.io/purpose", "self-test before failing closed; changes no proxy")
                .build());
        entry.setAdditionalProperty("spec", Map.of(
                "hosts", List.of(name + "." + namespace + ".invalid"),
                "ports", List.of(Map.of("number", PORT, "name", "tcp", "protocol", "TCP")),
                "resolution", "DNS",
                "location", "MESH_EXTERNAL",
                "exportTo", List.of(".")));
        return entry;
    }
}
