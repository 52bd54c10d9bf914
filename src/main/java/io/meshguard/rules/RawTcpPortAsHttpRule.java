package io.meshguard.rules;

import io.meshguard.index.IndexSnapshot;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import io.meshguard.mesh.listener.IstioProtocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 000's lesson: an HBase client declared as {@code grpc} fails, because Envoy then parses a raw TCP
 * protocol as HTTP/2. Ports that are raw TCP by nature should not be declared HTTP, HTTP2 or GRPC.
 */
public final class RawTcpPortAsHttpRule implements ServiceEntryRule {

    public static final String CODE = "RawTcpPortDeclaredHttp";

    private static final Map<Integer, String> RAW_TCP_PORTS = Map.of(
            2181, "ZooKeeper",
            16000, "HBase master",
            16020, "HBase region server",
            3306, "MySQL",
            5432, "PostgreSQL",
            6379, "Redis",
            9092, "Kafka",
            27017, "MongoDB");

    private static final Set<IstioProtocol> HTTP_FAMILY = Set.of(IstioProtocol.HTTP, IstioProtocol.HTTP2,
            IstioProtocol.GRPC);

    @Override
    public List<Finding> check(ServiceEntryFacts entry, IndexSnapshot index) {
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < entry.ports().size(); i++) {
            ServicePort port = entry.ports().get(i);
            String service = RAW_TCP_PORTS.get(port.number());
            if (service != null && HTTP_FAMILY.contains(port.istioProtocol())) {
                findings.add(Finding.warning(CODE, "spec.ports[" + i + "].protocol",
                        "port " + Words.value(port.display()) + " is the " + service + " port, which speaks raw TCP: Envoy "
                                + "would parse it as HTTP and connections fail. Use protocol TCP."));
            }
        }
        return findings;
    }
}
