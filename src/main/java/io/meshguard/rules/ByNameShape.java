package io.meshguard.rules;

import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.FilterChainOpts;
import io.meshguard.mesh.listener.IstioProtocol;
import io.meshguard.mesh.listener.ListenerBinding;
import io.meshguard.mesh.listener.ListenerProtocol;
import io.meshguard.mesh.listener.MeshService;
import io.meshguard.mesh.listener.ProxyView;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code buildSidecarOutboundListener} reads of the services a namespace is given by name, on the ports under
 * review, short of whose they are: for each service in the namespace's order, which of the entries it belongs to
 * and, for each of those ports, the protocol, the listener key and destination CIDR it binds
 * ({@link ListenerBinding}), and the server names its network chain matches. Two namespaces given the same public
 * services, and by name services of one shape, get the same listeners but for who owns the by-name chains: one build
 * tells what happens in both, the owners exchanged.
 */
final class ByNameShape {

    private final List<Integer> entries;
    private final List<PortShape> ports;
    /** Computed once: a review looks up a shape for each of thousands of namespaces. */
    private final int hash;

    private ByNameShape(List<Integer> entries, List<PortShape> ports) {
        this.entries = entries;
        this.ports = ports;
        this.hash = 31 * entries.hashCode() + ports.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof ByNameShape shape && hash == shape.hash
                && entries.equals(shape.entries) && ports.equals(shape.ports);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Equality written out: a record's generated methods run through method handles that C1 does not inline. */
    record PortShape(int number, IstioProtocol protocol, ListenerBinding binding, List<String> sniHosts) {

        @Override
        public boolean equals(Object other) {
            return this == other || other instanceof PortShape shape && number == shape.number
                    && protocol == shape.protocol && java.util.Objects.equals(binding, shape.binding)
                    && sniHosts.equals(shape.sniHosts);
        }

        @Override
        public int hashCode() {
            return (31 * number + protocol.ordinal()) * 31 + (binding == null ? 0 : binding.hashCode());
        }
    }

    /**
     * The shapes of one review: the ports under review and the proxy are the same for every namespace, and a service
     * given by name to several namespaces is read once.
     */
    static final class Reader {
        private final Set<Integer> reviewedPorts;
        private final ProxyView proxy;
        private final Map<MeshService, List<PortShape>> portsOf = new IdentityHashMap<>();

        Reader(Set<Integer> reviewedPorts, ProxyView proxy) {
            this.reviewedPorts = reviewedPorts;
            this.proxy = proxy;
        }

        /** @param services the services given by name, in {@link io.meshguard.mesh.listener.ServiceOrder} */
        ByNameShape of(List<MeshService> services) {
            List<PortShape> ports = new ArrayList<>(services.size());
            List<ServiceEntryFacts> owners = new ArrayList<>(2);
            List<Integer> entries = new ArrayList<>(services.size());
            for (MeshService service : services) {
                int owner = 0;
                while (owner < owners.size() && owners.get(owner) != service.entry()) {
                    owner++;
                }
                if (owner == owners.size()) {
                    owners.add(service.entry());
                }
                entries.add(owner);
                ports.addAll(portsOf.computeIfAbsent(service, this::portShapes));
            }
            return new ByNameShape(entries, ports);
        }

        private List<PortShape> portShapes(MeshService service) {
            List<PortShape> shapes = new ArrayList<>(1);
            for (ServicePort port : service.ports()) {
                if (!reviewedPorts.contains(port.number())) {
                    continue;
                }
                ListenerBinding binding = ListenerBinding.of(service, port, proxy);
                List<String> sni = binding == null || port.istioProtocol().listenerProtocol() == ListenerProtocol.HTTP
                        ? List.of() : FilterChainOpts.tcpListenerOpts(service, port, binding, proxy).sniHosts();
                shapes.add(new PortShape(port.number(), port.istioProtocol(), binding, sni));
            }
            return shapes;
        }
    }
}
