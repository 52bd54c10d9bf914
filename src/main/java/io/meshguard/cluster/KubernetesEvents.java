package io.meshguard.cluster;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.meshguard.companions.controller.CompanionCache;
import io.meshguard.companions.controller.CompanionEvents;
import java.time.Instant;

/** The controller's Events, written as core/v1 Events from the component {@code meshguard}. */
public final class KubernetesEvents implements CompanionEvents {

    private final KubernetesClient client;

    public KubernetesEvents(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void record(CompanionCache.EntryReference entry, String reason, String message) {
        String now = Instant.now().toString();
        client.v1().events().inNamespace(entry.namespace()).resource(new EventBuilder()
                .withNewMetadata()
                .withName(entry.name() + "." + Long.toHexString(System.nanoTime()))
                .withNamespace(entry.namespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(entry.apiVersion())
                        .withKind(entry.kind())
                        .withNamespace(entry.namespace())
                        .withName(entry.name())
                        .withUid(entry.uid())
                        .build())
                .withType("Normal")
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent("meshguard").endSource()
                .withReportingComponent("meshguard")
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build()).create();
    }
}
