package io.meshguard.index;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import java.util.Collection;
import java.util.Map;

/** What a Gateway or VirtualService review may read of the {@link GatewayIndex}, under its lock. */
public interface GatewaySnapshot {

    /** Every distinct {@code spec.selector} of the known Gateways (an empty map for a Gateway without one). */
    Collection<Map<String, String>> selectors();

    /** The Gateways whose selector is exactly {@code selector} and that have a server on {@code port}. */
    Collection<GatewayView> onPort(Map<String, String> selector, int port);

    /** The Gateway known under this key, or null. */
    GatewayView gateway(EntryKey key);

    /** The VirtualServices whose {@code gateways} resolve to this Gateway. */
    Collection<VirtualServiceView> boundTo(EntryKey gateway);

    /** The VirtualServices bound to {@code mesh} with this host, qualified as istioctl does. */
    Collection<VirtualServiceView> onMeshWithHost(String qualifiedHost);

    /** The VirtualServices bound to {@code mesh} with at least one wildcard host. */
    Collection<VirtualServiceView> onMeshWithWildcardHost();

    /** Every VirtualService bound to {@code mesh}. */
    Collection<VirtualServiceView> onMesh();
}
