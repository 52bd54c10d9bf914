package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.Plan;
import io.meshguard.companions.RoutingVirtualService;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.MeshguardAnnotations;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The mutating webhook: records the companion plan on a ServiceEntry as {@code meshguard.io/companions}, so that
 * {@code kubectl apply --dry-run=server -o yaml} shows what the controller will generate. It writes nothing
 * else and has no side effect, so a dry run and a re-invocation get the same answer, and a second pass over
 * its own output finds nothing to change.
 */
public final class MutatingAdmission {

    /** The rule code under which the mutating webhook's warnings are counted: an SNI VirtualService gave way. */
    public static final String SNI_YIELDS = "SniVirtualServiceYields";

    /** The patch to send (empty for none) and the warnings to show the user. */
    public record Mutation(ArrayNode patch, List<String> warnings) {

        static final Mutation NONE = new Mutation(JsonNodeFactory.instance.arrayNode(), List.of());

        public Mutation {
            warnings = List.copyOf(warnings);
        }
    }

    private final CompanionPlanner planner;
    private final Supplier<Collection<RoutingVirtualService>> virtualServices;
    private final Supplier<MeshConfig> mesh;

    /**
     * @param virtualServices the VirtualServices in the cluster (none when standalone)
     * @param mesh the current MeshConfig
     */
    public MutatingAdmission(CompanionPlanner planner, Supplier<Collection<RoutingVirtualService>> virtualServices,
            Supplier<MeshConfig> mesh) {
        this.planner = planner;
        this.virtualServices = virtualServices;
        this.mesh = mesh;
    }

    public Mutation mutate(AdmissionRequestView request) {
        if (!request.isKind(ValidatingAdmission.ISTIO_NETWORKING, ValidatingAdmission.SERVICE_ENTRY)
                || !ValidatingAdmission.SERVICE_ENTRY_VERSIONS.contains(request.version())) {
            return Mutation.NONE;
        }
        if (request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE) {
            return Mutation.NONE;
        }
        if (request.object() == null) {
            throw new BadReviewException("request.object is missing on " + request.operation());
        }
        ServiceEntryFacts entry;
        try {
            entry = ServiceEntryReader.read(request.object(), request.namespace(), 0);
        } catch (MalformedObjectException e) {
            // The validating webhook denies it and says why; a plan for an unreadable entry would be a guess.
            return Mutation.NONE;
        }
        Plan plan = planner.plan(entry, virtualServices.get(), mesh.get());
        JsonNode mutated = withPlan(request.object(), plan.annotationValue());
        return new Mutation(JsonPatchDiff.diff(request.object(), mutated),
                plan.yields().stream().map(Plan.Yield::summary).toList());
    }

    /** A copy of the entry whose annotation holds {@code planned}; an empty plan removes the annotation. */
    static JsonNode withPlan(JsonNode entry, String planned) {
        ObjectNode copy = entry.deepCopy();
        ObjectNode metadata = (ObjectNode) copy.get("metadata");
        JsonNode annotations = metadata.get("annotations");
        if (planned.isEmpty()) {
            if (annotations instanceof ObjectNode existing) {
                existing.remove(MeshguardAnnotations.COMPANIONS);
            }
            return copy;
        }
        ObjectNode target = annotations instanceof ObjectNode existing ? existing : metadata.putObject("annotations");
        target.put(MeshguardAnnotations.COMPANIONS, planned);
        return copy;
    }
}
