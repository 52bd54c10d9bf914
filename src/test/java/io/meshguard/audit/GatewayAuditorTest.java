package io.meshguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.testing.Fixtures;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The audit of stored Gateways and VirtualServices, from the Gateway fixtures read the other way round: the
 * fixture's existing objects and the object under review are all stored, and the audit must find the fixture's
 * conflict once, on the Gateway that loses, naming the one that keeps the port or host; and the fixture's
 * VirtualService warnings on the VirtualService under review. The fixtures name their Istio sources.
 */
class GatewayAuditorTest {

    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final GatewayAuditor AUDITOR = GatewayAuditor.standard();

    record Stored(List<GatewayView> gateways, List<VirtualServiceView> virtualServices, EntryKey reviewed) {
    }

    static Stream<Arguments> creates() {
        return Fixtures.in("gateway").filter(a -> "CREATE".equals(((JsonNode) a.get()[1]).path("operation")
                .asText("CREATE")));
    }

    static Stored stored(JsonNode fixture) {
        List<GatewayView> gateways = new ArrayList<>();
        List<VirtualServiceView> virtualServices = new ArrayList<>();
        List<JsonNode> objects = new ArrayList<>();
        fixture.path("existing").forEach(objects::add);
        objects.add(fixture.required("review"));
        EntryKey reviewed = null;
        for (JsonNode object : objects) {
            if (object.required("kind").asText().equals("Gateway")) {
                GatewayView gateway = GatewayReader.read(object, null, NOW);
                gateways.add(gateway);
                reviewed = gateway.key();
            } else {
                VirtualServiceView vs = VirtualServiceBindingReader.read(object, null, NOW);
                virtualServices.add(vs);
                reviewed = vs.key();
            }
        }
        return new Stored(gateways, virtualServices, reviewed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void the_fixture_conflict_is_found_once_on_the_gateway_that_loses(String file, JsonNode fixture) {
        Stored stored = stored(fixture);
        JsonNode expect = fixture.required("expect");
        List<AuditFinding> findings = AUDITOR.audit(stored.gateways(), stored.virtualServices(), NOW);
        String self = stored.reviewed().toString();

        if (fixture.required("review").required("kind").asText().equals("Gateway")) {
            List<String> expected = new ArrayList<>();
            for (JsonNode denial : expect.path("denials")) {
                String code = denial.required("code").asText();
                String other = denial.required("other").asText();
                String keeper = denial.required("keeper").asText().split(" ")[0];
                if (other.equals(self)) {
                    expected.add(code + " " + self + " loses to null");
                } else if (keeper.equals(self)) {
                    expected.add(code + " " + other + " loses to " + self);
                } else {
                    expected.add(code + " " + self + " loses to " + other);
                }
            }
            List<String> found = findings.stream().filter(f -> f.kind().equals(AuditFinding.GATEWAY))
                    .filter(f -> f.entry().toString().equals(self) || self.equals(String.valueOf(f.other())))
                    .map(f -> f.code() + " " + f.entry() + " loses to " + f.other()).toList();
            assertThat(found).containsExactlyInAnyOrderElementsOf(expected);
        } else {
            List<String> warnings = findings.stream().filter(f -> f.kind().equals(AuditFinding.VIRTUAL_SERVICE))
                    .filter(f -> f.entry().toString().equals(self)).map(AuditFinding::code).sorted().toList();
            assertThat(warnings).isEqualTo(Fixtures.texts(expect.path("warnings")).stream().sorted().toList());
            assertThat(findings).filteredOn(f -> f.kind().equals(AuditFinding.VIRTUAL_SERVICE))
                    .allSatisfy(f -> assertThat(f.severity()).isEqualTo("warn"));
        }
        assertThat(findings).filteredOn(f -> f.kind().equals(AuditFinding.GATEWAY)).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo("deny");
            assertThat(f.other()).isNotEqualTo(f.entry());
            assertThat(f.losesTraffic()).isTrue();
            assertThat(f.keptBy()).singleElement().satisfies(k -> assertThat(k.entry())
                    .isEqualTo(f.other() == null ? f.entry().toString() : f.other().toString()));
            assertThat(f.fix()).isNotBlank();
            assertThat(f.workload()).isNotBlank();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("creates")
    void a_gateway_alone_never_conflicts_with_another(String file, JsonNode fixture) {
        JsonNode review = fixture.required("review");
        if (!review.required("kind").asText().equals("Gateway")) {
            return;
        }
        GatewayView gateway = GatewayReader.read(review, null, NOW);
        assertThat(AUDITOR.audit(List.of(gateway), List.of(), NOW)).allSatisfy(f -> assertThat(f.other()).isNull());
    }

    @Test
    void seed_002_a_second_gateway_loses_the_host_and_a_dangling_virtualservice_is_a_warning() {
        JsonNode second = Fixtures.read(Path.of(
                "src/test/resources/fixtures/gateway/03-seed002-second-gateway-same-port-and-host-denied.yaml"));
        JsonNode dangling = Fixtures.read(Path.of("src/test/resources/check/gateway/canary-missing-gateway.yaml"));
        Stored gateways = stored(second);
        List<VirtualServiceView> virtualServices = List.of(VirtualServiceBindingReader.read(dangling, null, NOW));

        List<AuditFinding> findings = AUDITOR.audit(gateways.gateways(), virtualServices, NOW);

        assertThat(findings).hasSize(2);
        assertThat(findings.get(0)).satisfies(f -> {
            assertThat(f.kind()).isEqualTo("Gateway");
            assertThat(f.code()).isEqualTo("ConflictingGateways");
            assertThat(f.entry()).isEqualTo(new EntryKey("shop", "shop-gateway"));
            assertThat(f.other()).isEqualTo(new EntryKey("default", "bookinfo-gateway"));
            assertThat(f.port()).isEqualTo(80);
            assertThat(f.workload()).isEqualTo("istio=ingressgateway");
            assertThat(f.keptBy()).containsExactly(new AuditFinding.Keeper("default/bookinfo-gateway", List.of(),
                    "older"));
            assertThat(f.fix()).contains("bind your VirtualServices to default/bookinfo-gateway");
            assertThat(f.message()).contains("IST0145");
        });
        assertThat(findings.get(1)).satisfies(f -> {
            assertThat(f.kind()).isEqualTo("VirtualService");
            assertThat(f.code()).isEqualTo("GatewayNotFound");
            assertThat(f.severity()).isEqualTo("warn");
            assertThat(f.failure()).isFalse();
            assertThat(f.entry()).isEqualTo(new EntryKey("canary", "bookinfo-canary"));
            assertThat(f.other()).isEqualTo(new EntryKey("canary", "bookinfo-gateway"));
        });
        AuditResult result = new AuditResult(NOW, 0, 0, 1, List.of()).withGateways(findings, 2, 1, 0);
        assertThat(result.countsByCode()).containsExactly(Map.entry("ConflictingGateways", 1),
                Map.entry("GatewayNotFound", 1));
        assertThat(result.gateways()).isEqualTo(2);
        assertThat(result.virtualServices()).isEqualTo(1);
    }

    @Test
    void a_server_dropped_for_another_server_of_the_same_gateway_names_that_server() {
        JsonNode fixture = Fixtures.read(Path.of(
                "src/test/resources/fixtures/gateway/32-two-servers-of-one-gateway-repeat-a-tls-host-denied.yaml"));
        List<AuditFinding> findings = AUDITOR.audit(stored(fixture).gateways(), List.of(), NOW);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.entry()).isEqualTo(new EntryKey("default", "tls"));
            assertThat(f.other()).isNull();
            assertThat(f.keptBy()).containsExactly(new AuditFinding.Keeper("default/tls", List.of(),
                    "its own earlier server spec.servers[0]"));
        });
    }

    @Test
    void a_gateway_and_a_service_entry_of_one_name_are_two_subjects() {
        AuditFinding gateway = new AuditFinding("Gateway", "ConflictingGateways", "deny", new EntryKey("a", "x"), "",
                null, 80, null, "istio=ingressgateway", List.of(), List.of(), true, "", "", null);
        AuditFinding entry = new AuditFinding("ServiceEntry", "ListenerCollision", "deny", new EntryKey("a", "x"), "",
                null, 80, "0.0.0.0_80", null, List.of(), List.of(), true, "", "", null);
        AuditResult result = new AuditResult(NOW, 0, 1, 1, List.of(entry)).withGateways(List.of(gateway), 1, 0, 0);
        assertThat(result.byEntry()).hasSize(2);
    }
}
