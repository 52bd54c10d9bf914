package io.meshguard.mesh.gateway;

/**
 * One entry of a Gateway server's {@code hosts}: {@code [namespace/]dnsName}. The namespace part says which
 * namespaces' VirtualServices may bind to the host: {@code .} the Gateway's own, {@code *} any, absent any.
 *
 * @param namespace the part before {@code /}, or null when there is none
 * @param name the DNS name, possibly a wildcard such as {@code *.example.com} or {@code *}
 */
public record GatewayHost(String namespace, String name) {

    public static GatewayHost parse(String written) {
        int slash = written.indexOf('/');
        return slash < 0 ? new GatewayHost(null, written)
                : new GatewayHost(written.substring(0, slash), written.substring(slash + 1));
    }

    /**
     * The host as istiod keys it when it merges servers ({@code sanitizeServerHostNamespace} in
     * {@code pilot/pkg/model/gateway.go}): {@code ./h} becomes {@code <gatewayNamespace>/h}, {@code * /h} becomes
     * {@code h}; anything else stays as written.
     */
    public String mergeKey(String gatewayNamespace) {
        if (namespace == null) {
            return name;
        }
        if (namespace.equals(".")) {
            return gatewayNamespace + "/" + name;
        }
        if (namespace.equals("*")) {
            return name;
        }
        return namespace + "/" + name;
    }

    /**
     * Whether a VirtualService in {@code virtualServiceNamespace} may use this host, and if so the DNS name
     * ({@code host.NamesForNamespace} in Istio, after the Gateway's {@code ./} was made its namespace).
     * Returns null when the namespace part excludes that VirtualService.
     */
    public String nameFor(String virtualServiceNamespace, String gatewayNamespace) {
        if (namespace == null || namespace.equals("*")) {
            return name;
        }
        String owner = namespace.equals(".") ? gatewayNamespace : namespace;
        return owner.equals(virtualServiceNamespace) ? name : null;
    }
}
