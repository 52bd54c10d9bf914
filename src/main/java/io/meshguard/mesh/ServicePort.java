package io.meshguard.mesh;

/** One entry of {@code spec.ports}: the number and the protocol as written, upper-cased. */
public record ServicePort(int number, String protocol) {

    public ServicePort {
        protocol = ProtocolClass.normalize(protocol);
    }

    public ProtocolClass protocolClass() {
        return ProtocolClass.of(protocol);
    }

    /** The protocol as a user would read it: unset shows as such rather than as an empty string. */
    public String displayProtocol() {
        return protocol.isEmpty() ? "unset(TCP)" : protocol;
    }

    public String display() {
        return number + "/" + displayProtocol();
    }
}
