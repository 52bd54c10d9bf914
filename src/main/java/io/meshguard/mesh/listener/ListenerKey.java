package io.meshguard.mesh.listener;

/**
 * istiod's {@code listenerKey}: the bind address and the port. Envoy's listener name is {@code <bind>_<port>}
 * ({@code getListenerName}), e.g. {@code 0.0.0.0_443} or {@code 2001:db8::1_443}.
 */
public record ListenerKey(String bind, int port) {

    /** Written out: a record's generated equality runs through method handles that C1 does not inline. */
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ListenerKey key && port == key.port && bind.equals(key.bind);
    }

    @Override
    public int hashCode() {
        return 31 * bind.hashCode() + port;
    }

    public static ListenerKey wildcard(int port) {
        return new ListenerKey(ProxyView.WILDCARD, port);
    }

    public boolean isWildcard() {
        return ProxyView.WILDCARD.equals(bind);
    }

    public String name() {
        return bind + "_" + port;
    }

    @Override
    public String toString() {
        return name();
    }
}
