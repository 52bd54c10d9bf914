package io.meshguard.mesh.gateway;

import java.util.List;

/**
 * One entry of a Gateway's {@code spec.servers}.
 *
 * @param index its position in {@code spec.servers}, for naming it ({@code spec.servers[1]})
 * @param port {@code port.number}, or 0 when the server has no port (istiod skips such a server)
 * @param portName {@code port.name}, or ""
 * @param protocol {@code port.protocol} as written, or ""
 * @param bind {@code bind}, or "" for the wildcard address
 * @param hosts {@code hosts} as written ({@code [namespace/]dnsName})
 * @param tls the {@code tls} block, or null when there is none
 */
public record GatewayServer(int index, int port, String portName, String protocol, String bind,
        List<GatewayHost> hosts, ServerTls tls) {

    public GatewayServer {
        hosts = List.copyOf(hosts);
        portName = portName == null ? "" : portName;
        protocol = protocol == null ? "" : protocol;
        bind = bind == null ? "" : bind;
    }

    public boolean hasPort() {
        return port > 0;
    }

    public ServerProtocol serverProtocol() {
        return ServerProtocol.parse(protocol);
    }

    /** Non-HTTP with a {@code tls} block ({@code IsTLSServer} in Istio's {@code pkg/config/gateway}). */
    public boolean tlsServer() {
        return tls != null && !serverProtocol().isHttp();
    }

    /** HTTP, or HTTPS that terminates TLS ({@code IsHTTPServer}): served through an HTTP route table. */
    public boolean httpServer() {
        ServerProtocol p = serverProtocol();
        return p.isHttp() || p == ServerProtocol.HTTPS && (tls == null || !tls.passthrough());
    }

    /** The host keys istiod compares when it merges servers, in order, duplicates kept. */
    public List<String> mergeKeys(String gatewayNamespace) {
        if (hosts.stream().anyMatch(h -> "*".equals(h.namespace()) && "*".equals(h.name()))) {
            // sanitizeServerHostNamespace: a "*" + "/" + "*" entry makes the whole list "*"
            return List.of("*");
        }
        return hosts.stream().map(h -> h.mergeKey(gatewayNamespace)).toList();
    }

    /** The DNS names of its hosts, namespace parts left out, each once ({@code GetSNIHostsForServer}). */
    public List<String> dnsNames() {
        return hosts.stream().map(GatewayHost::name).distinct().toList();
    }

    /** The hosts as written, for messages. */
    public List<String> writtenHosts() {
        return hosts.stream().map(h -> h.namespace() == null ? h.name() : h.namespace() + "/" + h.name()).toList();
    }

    /** "spec.servers[i]" */
    public String field() {
        return "spec.servers[" + index + "]";
    }

    /** "port 80 HTTP" */
    public String describe() {
        return "port " + port + (protocol.isEmpty() ? "" : " " + protocol) + (bind.isEmpty() ? "" : " bind " + bind);
    }
}
