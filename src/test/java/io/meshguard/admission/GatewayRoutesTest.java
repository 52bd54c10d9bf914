package io.meshguard.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.index.GatewayIndex;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Finding;
import io.meshguard.rules.gateway.GatewayReview;
import io.meshguard.rules.gateway.VirtualServiceReview;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The Gateway and VirtualService routes as the validating webhook runs them: reading, the decision, and what an
 * allowed object does to the index (learned standalone, reserved in a cluster, nothing for a dry run).
 */
class GatewayRoutesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    final AtomicLong now = new AtomicLong(1_800_000_000_000L);

    KindRoute<GatewayView> gateways(GatewayIndex index, ServiceEntryIndexValidator.Learning learning) {
        return IstioNetworking.gateways(now::get)
                .validator(new GatewayIndexValidator(index, GatewayReview.standard(), learning)).build();
    }

    KindRoute<VirtualServiceView> virtualServices(GatewayIndex index, ServiceEntryIndexValidator.Learning learning) {
        return IstioNetworking.virtualServiceBindings(now::get)
                .validator(new VirtualServiceBindingValidator(index, new VirtualServiceReview(), learning)).build();
    }

    static JsonNode gateway(String namespace, String name, String protocol) {
        return json("{'apiVersion':'networking.istio.io/v1','kind':'Gateway','metadata':{'name':'" + name
                + "','namespace':'" + namespace + "'},'spec':{'selector':{'istio':'ingressgateway'},'servers':[{'port':"
                + "{'number':80,'name':'p','protocol':'" + protocol + "'},'hosts':['*']}]}}");
    }

    static JsonNode virtualService(String namespace, String name, String gateway) {
        return json("{'metadata':{'name':'" + name + "','namespace':'" + namespace + "'},'spec':{'hosts':['*'],"
                + "'gateways':['" + gateway + "']}}");
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static AdmissionRequestView request(String kind, Operation operation, JsonNode object, boolean dryRun) {
        JsonNode metadata = object == null ? JSON.createObjectNode() : object.path("metadata");
        return new AdmissionRequestView("admission.k8s.io/v1", "uid", "networking.istio.io", "v1alpha3", kind,
                kind.toLowerCase() + "s", operation, metadata.path("namespace").asText("default"),
                metadata.path("name").asText("x"), dryRun, object, null);
    }

    static AdmissionRequestView delete(String kind, String namespace, String name) {
        return new AdmissionRequestView("admission.k8s.io/v1", "uid", "networking.istio.io", "v1", kind,
                kind.toLowerCase() + "s", Operation.DELETE, namespace, name, false, null, null);
    }

    @Test
    void standalone_learns_an_allowed_gateway_and_denies_the_next_one_on_its_port_and_host() {
        GatewayIndex index = new GatewayIndex(now::get, 30_000);
        KindRoute<GatewayView> route = gateways(index, ServiceEntryIndexValidator.Learning.LEARN);

        assertThat(route.validate(request("Gateway", Operation.CREATE, gateway("default", "bookinfo-gateway",
                "HTTP"), false)).allowed()).isTrue();
        now.addAndGet(2000);
        Outcome second = route.validate(request("Gateway", Operation.CREATE, gateway("shop", "shop-gateway", "HTTP"),
                false));

        assertThat(second.allowed()).isFalse();
        assertThat(second.code()).isEqualTo(403);
        assertThat(second.denials()).extracting(Finding::message)
                .anySatisfy(m -> assertThat(m).contains("default/bookinfo-gateway keeps the host"));
        assertThat(index.gateways()).as("the denied Gateway is not recorded").isEqualTo(1);
        assertThat(index.reservations()).isZero();
    }

    @Test
    void a_dry_run_is_judged_and_records_nothing() {
        GatewayIndex index = new GatewayIndex(now::get, 30_000);
        KindRoute<GatewayView> route = gateways(index, ServiceEntryIndexValidator.Learning.LEARN);
        assertThat(route.validate(request("Gateway", Operation.CREATE, gateway("default", "a", "HTTP"), true))
                .allowed()).isTrue();
        assertThat(index.gateways()).isZero();
    }

    @Test
    void in_a_cluster_an_allowed_gateway_is_reserved_until_the_ttl() {
        GatewayIndex index = new GatewayIndex(now::get, 30_000);
        KindRoute<GatewayView> route = gateways(index, ServiceEntryIndexValidator.Learning.RESERVE);
        route.validate(request("Gateway", Operation.CREATE, gateway("default", "a", "HTTP"), false));
        assertThat(index.reservations()).isEqualTo(1);
        assertThat(route.validate(request("Gateway", Operation.CREATE, gateway("default", "b", "TCP"), false))
                .allowed()).as("a TCP server on the reserved HTTP port").isFalse();
        now.addAndGet(30_000);
        assertThat(route.validate(request("Gateway", Operation.CREATE, gateway("default", "b", "TCP"), false))
                .allowed()).as("the reservation expired unconfirmed").isTrue();
    }

    @Test
    void a_gateway_delete_warns_about_bound_virtual_services_and_standalone_forgets_both() {
        GatewayIndex index = new GatewayIndex(now::get, 30_000);
        KindRoute<GatewayView> gatewayRoute = gateways(index, ServiceEntryIndexValidator.Learning.LEARN);
        KindRoute<VirtualServiceView> vsRoute = virtualServices(index, ServiceEntryIndexValidator.Learning.LEARN);
        gatewayRoute.validate(request("Gateway", Operation.CREATE, gateway("default", "bookinfo-gateway", "HTTP"),
                false));
        Outcome vs = vsRoute.validate(request("VirtualService", Operation.CREATE,
                virtualService("default", "bookinfo", "bookinfo-gateway"), false));
        assertThat(vs.allowed()).isTrue();
        assertThat(vs.warnings()).isEmpty();

        Outcome deleted = gatewayRoute.validate(delete("Gateway", "default", "bookinfo-gateway"));
        assertThat(deleted.allowed()).isTrue();
        assertThat(deleted.warnings()).extracting(Finding::code).containsExactly("GatewayStillReferenced");
        assertThat(index.gateways()).isZero();

        vsRoute.validate(delete("VirtualService", "default", "bookinfo"));
        assertThat(index.virtualServices()).isZero();
    }

    @Test
    void a_virtual_service_is_never_denied_and_a_cluster_leaves_its_recording_to_the_informer() {
        GatewayIndex index = new GatewayIndex(now::get, 30_000);
        KindRoute<VirtualServiceView> route = virtualServices(index, ServiceEntryIndexValidator.Learning.RESERVE);
        Outcome outcome = route.validate(request("VirtualService", Operation.CREATE,
                virtualService("default", "bookinfo", "istio-system/missing"), false));
        assertThat(outcome.allowed()).isTrue();
        assertThat(outcome.warnings()).extracting(Finding::code).containsExactly("GatewayNotFound");
        assertThat(index.virtualServices()).isZero();
    }

    @Test
    void an_unreadable_gateway_is_denied_422_naming_the_field() {
        GatewayIndex index = new GatewayIndex(now::get, 30_000);
        Outcome outcome = gateways(index, ServiceEntryIndexValidator.Learning.LEARN).validate(request("Gateway",
                Operation.CREATE, json("{'metadata':{'name':'g','namespace':'n'},'spec':{'servers':[{'port':"
                        + "{'number':'eighty'}}]}}"), false));
        assertThat(outcome.allowed()).isFalse();
        assertThat(outcome.code()).isEqualTo(422);
        assertThat(outcome.denials().get(0).message()).contains("spec.servers[0].port.number must be an integer");
    }
}
