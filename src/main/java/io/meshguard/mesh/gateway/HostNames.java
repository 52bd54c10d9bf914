package io.meshguard.mesh.gateway;

/** Host name matching as in Istio's {@code pkg/config/host} {@code Name.Matches}. */
public final class HostNames {

    /** The suffix Istio's analyzers add to a short host name ({@code svc.cluster.local}). */
    public static final String CLUSTER_LOCAL = "svc.cluster.local";

    private HostNames() {
    }

    /**
     * Whether two host names can match the same request: equal names, or a wildcard ({@code *.a.com}, {@code *})
     * whose suffix the other ends with. Symmetric.
     */
    public static boolean matches(String a, String b) {
        boolean aWild = wildcard(a);
        boolean bWild = wildcard(b);
        if (aWild && bWild) {
            return a.length() < b.length() ? b.substring(1).endsWith(a.substring(1))
                    : a.substring(1).endsWith(b.substring(1));
        }
        if (aWild) {
            return b.endsWith(a.substring(1));
        }
        if (bWild) {
            return a.endsWith(b.substring(1));
        }
        return a.equals(b);
    }

    public static boolean wildcard(String host) {
        return !host.isEmpty() && host.charAt(0) == '*';
    }

    /**
     * A VirtualService host as istioctl's analyzers qualify it ({@code ConvertHostToFQDN}): a short name
     * {@code reviews} in namespace {@code foo} is {@code reviews.foo.svc.cluster.local}; wildcards and names with
     * a dot stay as written.
     */
    public static String qualified(String host, String namespace) {
        if (host.startsWith("*") || host.contains(".")) {
            return host;
        }
        return host + "." + namespace + "." + CLUSTER_LOCAL;
    }
}
