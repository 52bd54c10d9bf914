package io.meshguard.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.Plan;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.MeshguardAnnotations;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Finding;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Records the companion plan on a ServiceEntry as {@code meshguard.io/companions}, so that
 * {@code kubectl apply --dry-run=server -o yaml} shows what the controller will generate. It writes nothing
 * else and has no side effect, so a dry run and a re-invocation get the same answer, and a second pass over
 * its own output finds nothing to change.
 */
public final class CompanionPlanMutator implements Mutator<ServiceEntryFacts> {

    /** The code of the warning given when an SNI VirtualService gives way to one that already routes the host. */
    public static final String SNI_YIELDS = "SniVirtualServiceYields";

    private final CompanionPlanner planner;
    private final Supplier<Collection<RoutingVirtualService>> virtualServices;
    private final Supplier<MeshConfig> mesh;

    /**
     * @param virtualServices the VirtualServices in the cluster (none when standalone)
     * @param mesh the current MeshConfig
     */
    public CompanionPlanMutator(CompanionPlanner planner, Supplier<Collection<RoutingVirtualService>> virtualServices,
            Supplier<MeshConfig> mesh) {
        this.planner = planner;
        this.virtualServices = virtualServices;
        this.mesh = mesh;
    }

    /** The code of the warning given when the entry has no name yet, so no companion can be named. */
    public static final String NOT_NAMED_YET = "CompanionsNotNamedYet";

    @Override
    public List<Finding> mutate(AdmissionRequestView request, ServiceEntryFacts entry, ObjectNode draft) {
        Plan plan = planner.plan(entry, virtualServices.get(), mesh.get());
        // Only generateName: an empty plan, so no annotation names companions that will never exist (a value the
        // client wrote is removed too). The controller names them from the stored entry; its next update records them.
        record(draft, plan.annotationValue());
        if (entry.key().isGenerated()) {
            return List.of(Finding.warning(NOT_NAMED_YET, "metadata.generateName", CompanionPlanner.NOT_NAMED_YET));
        }
        return plan.yields().stream().map(y -> Finding.warning(SNI_YIELDS, "spec.hosts", y.summary())).toList();
    }

    /** Puts {@code planned} in the entry's annotation; an empty plan removes the annotation. */
    static void record(ObjectNode entry, String planned) {
        ObjectNode metadata = (ObjectNode) entry.get("metadata");
        JsonNode annotations = metadata.get("annotations");
        if (planned.isEmpty()) {
            if (annotations instanceof ObjectNode existing) {
                existing.remove(MeshguardAnnotations.COMPANIONS);
            }
            return;
        }
        ObjectNode target = annotations instanceof ObjectNode existing ? existing : metadata.putObject("annotations");
        target.put(MeshguardAnnotations.COMPANIONS, planned);
    }
}
