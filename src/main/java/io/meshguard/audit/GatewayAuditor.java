package io.meshguard.audit;

import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Cause;
import io.meshguard.rules.Finding;
import io.meshguard.rules.gateway.GatewayReview;
import io.meshguard.rules.gateway.VirtualServiceReview;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Runs every stored Gateway and VirtualService through the webhook's engine ({@link GatewayReview} and
 * {@link VirtualServiceReview}, as on a CREATE) against all the others, and keeps what it finds.
 *
 * <p>As for ServiceEntries ({@link Auditor}), the objects are filed into a {@link GatewayIndex} of the audit's own, so
 * the live index stays free for the webhook. A Gateway is reviewed against the others (the engine leaves the Gateway
 * under review out of the ones it merges with, by namespace/name). A conflict is found from both sides; it is kept as
 * a finding of the Gateway that loses (whose server istiod drops, or whose host another Gateway keeps: IST0145),
 * naming the one that keeps it. A server dropped because of another server of the same Gateway is that Gateway's
 * finding, with no other Gateway. VirtualService findings are warnings (IST0101, IST0132, IST0109), kept from every
 * side that reports them, as the webhook gives them.
 */
public final class GatewayAuditor {

    private final GatewayReview gatewayReview;
    private final VirtualServiceReview virtualServiceReview;

    public GatewayAuditor(GatewayReview gatewayReview, VirtualServiceReview virtualServiceReview) {
        this.gatewayReview = gatewayReview;
        this.virtualServiceReview = virtualServiceReview;
    }

    public static GatewayAuditor standard() {
        return new GatewayAuditor(GatewayReview.standard(), new VirtualServiceReview());
    }

    /**
     * @param gateways the stored Gateways ({@link GatewayIndex#confirmedGateways()})
     * @param virtualServices the stored VirtualServices ({@link GatewayIndex#allVirtualServices()})
     * @return the findings, Gateways first, each kind in namespace/name order
     */
    public List<AuditFinding> audit(Collection<GatewayView> gateways, Collection<VirtualServiceView> virtualServices,
            long nowMillis) {
        List<GatewayView> orderedGateways = new ArrayList<>(gateways);
        orderedGateways.sort(Comparator.comparing(GatewayView::key));
        List<VirtualServiceView> orderedServices = new ArrayList<>(virtualServices);
        orderedServices.sort(Comparator.comparing(VirtualServiceView::key));
        GatewayIndex own = new GatewayIndex(() -> nowMillis, Long.MAX_VALUE / 4);
        own.replaceGateways(orderedGateways);
        orderedServices.forEach(own::putVirtualService);
        return own.atomically(snapshot -> {
            List<AuditFinding> found = new ArrayList<>();
            for (GatewayView gateway : orderedGateways) {
                for (Finding finding : gatewayReview.findings(gateway, snapshot)) {
                    keepGateway(found, gateway, finding);
                }
            }
            for (VirtualServiceView vs : orderedServices) {
                for (Finding warning : virtualServiceReview.review(vs, snapshot).warnings()) {
                    found.add(new AuditFinding(AuditFinding.VIRTUAL_SERVICE, warning.code(), "warn", vs.key(),
                            vs.uid(), warning.other(), warning.port(), null, null, List.of(), List.of(), false,
                            warning.summary(), warning.message(), null));
                }
            }
            return found;
        });
    }

    private static void keepGateway(List<AuditFinding> found, GatewayView gateway, Finding finding) {
        String keeper = null;
        String fix = null;
        String workload = null;
        for (Cause cause : finding.causes()) {
            switch (cause.reason()) {
                case "Keeper" -> keeper = cause.message();
                case "Fix" -> fix = cause.message();
                case "Workload" -> workload = cause.message();
                default -> { }
            }
        }
        AuditFinding.Keeper kept = keeper(keeper);
        String self = gateway.key().toString();
        boolean selfDrop = gateway.key().equals(finding.other());
        if (kept != null && kept.entry().equals(self) && !selfDrop) {
            return; // this Gateway keeps the port or host: the loser's review reports it
        }
        EntryKey other = selfDrop ? null : finding.other();
        if (selfDrop && kept != null) {
            kept = new AuditFinding.Keeper(kept.entry(), List.of(), "its own earlier server " + kept.reason());
        }
        found.add(new AuditFinding(AuditFinding.GATEWAY, finding.code(), "deny", gateway.key(), gateway.uid(), other,
                finding.port(), null, workload, List.of(), kept == null ? List.of() : List.of(kept), true,
                finding.summary(), finding.message(), fix));
    }

    /**
     * "default/bookinfo-gateway (older)", or "default/tls spec.servers[0]" for a server of the same Gateway, as
     * {@code status.details.causes} says who keeps a port or host.
     */
    static AuditFinding.Keeper keeper(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int space = text.indexOf(' ');
        if (space < 0) {
            return new AuditFinding.Keeper(text, List.of(), "");
        }
        String rest = text.substring(space + 1);
        String reason = rest.startsWith("(") && rest.endsWith(")") ? rest.substring(1, rest.length() - 1) : rest;
        return new AuditFinding.Keeper(text.substring(0, space), List.of(), reason);
    }
}
