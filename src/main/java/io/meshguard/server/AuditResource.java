package io.meshguard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.audit.AuditFinding;
import io.meshguard.admission.NotReadyException;
import io.meshguard.audit.AuditResult;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/**
 * {@code GET /audit}: what the audit of the stored entries, Gateways and VirtualServices found, as JSON.
 * {@code ?namespace=} keeps the findings of objects in one namespace, {@code ?code=} those of one code, {@code ?kind=}
 * those of one kind. Built as a tree: no reflection, native-safe.
 */
@Path("/audit")
public class AuditResource {

    @Inject
    AuditLifecycle audit;

    @Inject
    ObjectMapper mapper;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode findings(@QueryParam("namespace") String namespace, @QueryParam("code") String code,
            @QueryParam("kind") String kind) {
        if (!audit.ready()) {
            throw new NotReadyException(AdmissionBeans.INDEX_NOT_READY);
        }
        AuditResult result = audit.fresh();
        ObjectNode root = mapper.createObjectNode();
        root.put("ranAt", Instant.ofEpochMilli(result.startedMillis()).toString());
        root.put("durationMillis", result.durationNanos() / 1_000_000);
        root.put("entries", result.entries());
        root.put("gateways", result.gateways());
        root.put("virtualServices", result.virtualServices());
        ObjectNode counts = root.putObject("counts");
        result.countsByCode().forEach(counts::put);
        ArrayNode findings = root.putArray("findings");
        for (AuditFinding finding : result.findings()) {
            if ((namespace != null && !namespace.equals(finding.entry().namespace()))
                    || (code != null && !code.equals(finding.code()))
                    || (kind != null && !kind.equals(finding.kind()))) {
                continue;
            }
            ObjectNode node = findings.addObject();
            node.put("kind", finding.kind());
            node.put("code", finding.code());
            node.put("severity", finding.severity());
            node.put("entry", finding.entry().toString());
            if (finding.other() != null) {
                node.put("otherEntry", finding.other().toString());
            }
            if (finding.port() > 0) {
                node.put("port", finding.port());
            }
            if (finding.listener() != null) {
                node.put("listener", finding.listener());
            }
            if (finding.workload() != null) {
                node.put("workload", finding.workload());
            }
            if (!finding.namespaces().isEmpty()) {
                ArrayNode names = node.putArray("namespaces");
                finding.namespaces().forEach(names::add);
            }
            if (!finding.keptBy().isEmpty()) {
                ArrayNode keepers = node.putArray("keptBy");
                for (AuditFinding.Keeper keeper : finding.keptBy()) {
                    ObjectNode k = keepers.addObject();
                    k.put("entry", keeper.entry());
                    ArrayNode where = k.putArray("namespaces");
                    keeper.namespaces().forEach(where::add);
                    k.put("reason", keeper.reason());
                }
            }
            node.put("losesTraffic", finding.losesTraffic());
            node.put("message", finding.message());
            if (finding.fix() != null) {
                node.put("fix", finding.fix());
            }
        }
        return root;
    }
}
