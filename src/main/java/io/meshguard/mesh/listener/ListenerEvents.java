package io.meshguard.mesh.listener;

/** What the listener build reports as it goes; implementations keep only what concerns them. */
public interface ListenerEvents {

    /**
     * istiod (or Envoy) drops {@code dropped}'s chain for {@code port} on {@code key}.
     *
     * @param keeper the service that keeps the traffic, or null when none does
     * @param nonHttpOnly only the service's non-HTTP traffic is lost: its HTTP traffic is still routed by host
     */
    void dropped(MeshService dropped, int port, ListenerKey key, MeshService keeper, Mechanism mechanism,
            boolean nonHttpOnly);

    /** An HTTP chain and a catch-all TCP chain of different services share {@code key}: it sniffs. */
    default void sniffing(ListenerKey key, MeshService http, MeshService tcp) {
    }
}
