package io.meshguard.companions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.MeshConfigReader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.decode.VirtualServiceReader;
import io.meshguard.mesh.EgressSettings;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.testing.Fixtures;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The companion planner as a table: each file under {@code fixtures/companions} holds an entry, the
 * VirtualServices already in the cluster, optional settings and mesh config, and the exact companions
 * expected (plus the annotation value and the notes). Every planned object is also checked against the
 * rules Istio's validation and istioctl apply to such objects ({@link IstioShapeRules}).
 */
class CompanionFixturesTest {


    static Stream<Arguments> fixtures() {
        return Fixtures.in("companions");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void plans_as_the_fixture_says(String file, JsonNode fixture) {
        CompanionSettings settings = settings(fixture.path("settings"));
        ServiceEntryFacts entry = ServiceEntryReader.read(fixture.required("entry"), null, 0);
        List<RoutingVirtualService> virtualServices = new ArrayList<>();
        fixture.path("virtualServices").forEach(vs -> virtualServices.add(VirtualServiceReader.read(vs)));

        Plan plan = new CompanionPlanner(settings).plan(entry, virtualServices,
                MeshConfigReader.fromTree(fixture.path("mesh")));

        JsonNode expect = fixture.required("expect");
        assertThat(plan.annotationValue()).as("annotation").isEqualTo(expect.required("annotation").asText());
        assertThat(List.<JsonNode>copyOf(plan.objects())).as("objects")
                .containsExactlyElementsOf(Fixtures.list(expect.required("objects")));
        if (expect.has("notes")) {
            List<String> fragments = Fixtures.texts(expect.path("notes"));
            assertThat(plan.notes()).as("notes").hasSameSizeAs(fragments);
            fragments.forEach(f -> assertThat(plan.notes()).as("a note contains '%s'", f)
                    .anySatisfy(n -> assertThat(n).contains(f)));
        }
        List<String> yields = Fixtures.texts(expect.path("yields"));
        assertThat(plan.yields()).as("yields").hasSameSizeAs(yields);
        yields.forEach(f -> assertThat(plan.yields()).as("a yield says '%s'", f)
                .anySatisfy(y -> assertThat(y.message()).contains(f)));

        IstioShapeRules.check(plan.objects(), entry, settings.egress());
    }

    static CompanionSettings settings(JsonNode overrides) {
        CompanionSettings base = CompanionSettings.DEFAULT;
        EgressSettings egress = base.egress();
        Optional<String> subset = overrides.has("subset") ? Optional.of(overrides.get("subset").asText())
                : egress.subset();
        HashSet<Integer> servicePorts = new HashSet<>(egress.servicePorts());
        if (overrides.has("servicePorts")) {
            servicePorts.clear();
            overrides.get("servicePorts").forEach(p -> servicePorts.add(p.asInt()));
        }
        return new CompanionSettings(base.apiVersion(), overrides.path("sniEnabled").asBoolean(base.sniEnabled()),
                new EgressSettings(egress.defaultGateway(), egress.httpPort(), egress.tlsPort(), servicePorts, subset,
                        egress.clusterDomain()));
    }
}
