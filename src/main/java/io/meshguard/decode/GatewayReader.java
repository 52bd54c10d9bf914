package io.meshguard.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayHost;
import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.ServerTls;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an Istio Gateway ({@code networking.istio.io} v1, v1beta1 or v1alpha3: the same schema) as the API
 * server stores it into a {@link GatewayView}. A field of the wrong shape is a {@link MalformedObjectException}
 * naming it.
 */
public final class GatewayReader {

    private GatewayReader() {
    }

    /**
     * @param namespaceFallback the request's namespace, for an object that carries none
     * @param nowMillis the creation time of an object not persisted yet: it comes last in istiod's order
     */
    public static GatewayView read(JsonNode object, String namespaceFallback, long nowMillis) {
        ObjectFields.requireObject(object, "Gateway");
        JsonNode metadata = object.path("metadata");
        EntryKey key = ObjectFields.key(metadata, namespaceFallback);
        long created = ObjectFields.created(metadata, nowMillis);
        JsonNode spec = ObjectFields.spec(object);
        Map<String, String> selector = ObjectFields.stringMap(spec, "selector", "spec.selector");
        return new GatewayView(key, created, selector, servers(spec.path("servers")),
                ObjectFields.text(metadata, "uid", "metadata.uid"));
    }

    private static List<GatewayServer> servers(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedObjectException("spec.servers is not a list");
        }
        List<GatewayServer> servers = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            servers.add(server(node.get(i), i));
        }
        return servers;
    }

    private static GatewayServer server(JsonNode server, int index) {
        String path = "spec.servers[" + index + "]";
        if (!server.isObject()) {
            throw new MalformedObjectException(path + " is not an object");
        }
        JsonNode port = server.path("port");
        int number = 0;
        String portName = null;
        String protocol = null;
        if (!port.isMissingNode() && !port.isNull()) {
            if (!port.isObject()) {
                throw new MalformedObjectException(path + ".port is not an object");
            }
            JsonNode value = port.path("number");
            if (!value.isMissingNode() && !value.isNull()) {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new MalformedObjectException(path + ".port.number must be an integer, got "
                            + ObjectFields.describe(value));
                }
                number = value.intValue();
                if (number < 1 || number > 65535) {
                    throw new MalformedObjectException(path + ".port.number must be between 1 and 65535, got "
                            + number);
                }
            }
            portName = ObjectFields.text(port, "name", path + ".port.name");
            protocol = ObjectFields.text(port, "protocol", path + ".port.protocol");
        }
        List<GatewayHost> hosts = ObjectFields.strings(server, "hosts", path + ".hosts").stream()
                .map(GatewayHost::parse).toList();
        String bind = ObjectFields.text(server, "bind", path + ".bind");
        return new GatewayServer(index, number, portName, protocol, bind, hosts, tls(server.path("tls"), path));
    }

    private static ServerTls tls(JsonNode tls, String path) {
        if (tls.isMissingNode() || tls.isNull()) {
            return null;
        }
        if (!tls.isObject()) {
            throw new MalformedObjectException(path + ".tls is not an object");
        }
        return new ServerTls(ObjectFields.text(tls, "mode", path + ".tls.mode"),
                ObjectFields.bool(tls, "httpsRedirect", path + ".tls.httpsRedirect"));
    }
}
