package io.meshguard.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GatewayReaderTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void reads_the_seed_002_gateway_as_stored() {
        GatewayView gateway = GatewayReader.read(json("""
                {'apiVersion':'networking.istio.io/v1alpha3','kind':'Gateway',
                 'metadata':{'name':'bookinfo-gateway','namespace':'default','creationTimestamp':'2025-01-02T03:04:05Z'},
                 'spec':{'selector':{'istio':'ingressgateway'},
                  'servers':[{'port':{'number':80,'name':'http','protocol':'HTTP'},'hosts':['*','./a.com']},
                             {'port':{'number':443,'name':'https','protocol':'HTTPS'},'hosts':['b.com'],
                              'tls':{'mode':'PASSTHROUGH'},'bind':'10.0.0.1'}]}}"""), null, 0);
        assertThat(gateway.key().toString()).isEqualTo("default/bookinfo-gateway");
        assertThat(gateway.createdMillis()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z").toEpochMilli());
        assertThat(gateway.selector()).containsEntry("istio", "ingressgateway");
        GatewayServer http = gateway.servers().get(0);
        assertThat(http.port()).isEqualTo(80);
        assertThat(http.tls()).isNull();
        assertThat(http.mergeKeys("default")).containsExactly("*", "default/a.com");
        GatewayServer https = gateway.servers().get(1);
        assertThat(https.tls().passthrough()).isTrue();
        assertThat(https.bind()).isEqualTo("10.0.0.1");
        assertThat(https.httpServer()).isFalse();
        assertThat(gateway.ports()).containsExactly(80, 443);
    }

    @Test
    void an_object_not_persisted_yet_takes_the_review_time_and_the_request_namespace() {
        GatewayView gateway = GatewayReader.read(json("{'metadata':{'name':'g'},'spec':{}}"), "shop", 42);
        assertThat(gateway.key().toString()).isEqualTo("shop/g");
        assertThat(gateway.createdMillis()).isEqualTo(42);
        assertThat(gateway.selector()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1,2]|the Gateway is not a JSON object",
        "{'spec':{}}|metadata.name is missing",
        "{'metadata':{'name':'g','namespace':'n'},'spec':[]}|spec is not an object",
        "{'metadata':{'name':'g','namespace':'n'},'spec':{'selector':{'istio':1}}}|spec.selector[istio] must be a string",
        "{'metadata':{'name':'g','namespace':'n'},'spec':{'servers':{}}}|spec.servers is not a list",
        "{'metadata':{'name':'g','namespace':'n'},'spec':{'servers':[{'port':{'number':'80'}}]}}|spec.servers[0].port.number must be an integer",
        "{'metadata':{'name':'g','namespace':'n'},'spec':{'servers':[{'port':{'number':70000}}]}}|spec.servers[0].port.number must be between 1 and 65535",
        "{'metadata':{'name':'g','namespace':'n'},'spec':{'servers':[{'port':{'number':80},'hosts':[7]}]}}|spec.servers[0].hosts[0] must be a string",
        "{'metadata':{'name':'g','namespace':'n'},'spec':{'servers':[{'port':{'number':80},'tls':'x'}]}}|spec.servers[0].tls is not an object",
        "{'metadata':{'name':'g','namespace':'n','creationTimestamp':'yesterday'}}|metadata.creationTimestamp is not RFC 3339",
        "{'metadata':{'name':'g'}}|metadata.namespace is missing",
    })
    void bad_input_is_a_clear_error_naming_the_field(String object, String expected) {
        assertThatThrownBy(() -> GatewayReader.read(json(object), null, 0))
                .isInstanceOf(MalformedObjectException.class).hasMessageContaining(expected);
    }

    @Test
    void reads_a_virtual_service_and_knows_meshguard_companions() {
        VirtualServiceView vs = VirtualServiceBindingReader.read(json("""
                {'metadata':{'name':'github-sni','namespace':'ns1',
                  'labels':{'app.kubernetes.io/managed-by':'meshguard'}},
                 'spec':{'hosts':['github.com'],'exportTo':['.']}}"""), null, 0);
        assertThat(vs.managedByMeshguard()).isTrue();
        assertThat(vs.boundToMesh()).isTrue();
        assertThat(vs.exportTo()).containsExactly(".");
        assertThatThrownBy(() -> VirtualServiceBindingReader.read(json("{'metadata':{'name':'v','namespace':'n'},"
                + "'spec':{'gateways':'mesh'}}"), null, 0)).hasMessageContaining("spec.gateways is not a list");
    }
}
