package io.meshguard.index;

import io.meshguard.mesh.BindKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.ProtocolClass;
import java.util.Collection;

/**
 * A consistent read of the cluster's ServiceEntries, keyed so that a review only touches the entries
 * on its own port numbers. Entries with {@code DYNAMIC_DNS} resolution and UDP ports are not indexed:
 * they never share a listener.
 */
public interface IndexSnapshot {

    MeshConfig mesh();

    /**
     * The entries of one protocol class bound on a listener. HTTP ports are always filed under the
     * wildcard key: Istio serves them from {@code 0.0.0.0_<port>} whatever their addresses.
     */
    Collection<Occupant> onListener(int port, BindKey key, ProtocolClass protocolClass);

    /** The TLS/HTTPS entries that declare {@code host} on {@code port}. */
    Collection<Occupant> tlsWithHost(int port, String host);
}
