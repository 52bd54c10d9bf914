package io.meshguard.decode;

import static io.meshguard.decode.ObjectFields.describe;
import static io.meshguard.decode.ObjectFields.strings;
import static io.meshguard.decode.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshguardAnnotations;
import io.meshguard.mesh.Resolution;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.ServicePort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the facts the rules need from a ServiceEntry as JSON, naming the field when one is wrong. */
public final class ServiceEntryReader {

    private ServiceEntryReader() {
    }

    /**
     * An object with only {@code metadata.generateName} (a CREATE the API server has yet to name) gets the key
     * {@link EntryKey#generated}, which no stored object has.
     *
     * @param namespaceFallback the request's namespace, used when the object carries none (CREATE with generateName)
     * @param nowMillis the creation time to assume for an object that has not been persisted yet
     */
    public static ServiceEntryFacts read(JsonNode object, String namespaceFallback, long nowMillis) {
        return read(object, namespaceFallback, nowMillis, false);
    }

    /**
     * An object the cluster already stores: a port meshguard cannot read is left out, and the others still count,
     * as istiod still builds their listeners. Everything else is read as {@link #read} reads it.
     */
    public static ServiceEntryFacts readStored(JsonNode object, String namespaceFallback, long nowMillis) {
        return read(object, namespaceFallback, nowMillis, true);
    }

    private static ServiceEntryFacts read(JsonNode object, String namespaceFallback, long nowMillis,
            boolean skipOutOfRangePorts) {
        if (object == null || !object.isObject()) {
            throw new MalformedObjectException("the object is not a JSON object");
        }
        JsonNode metadata = object.path("metadata");
        EntryKey key = ObjectFields.key(metadata, namespaceFallback);
        String uid = text(metadata, "uid", "metadata.uid");
        long created = ObjectFields.created(metadata, nowMillis);
        JsonNode spec = ObjectFields.spec(object);
        List<String> hosts = strings(spec, "hosts", "spec.hosts");
        List<ServicePort> ports = ports(spec.path("ports"), skipOutOfRangePorts);
        List<String> addresses = strings(spec, "addresses", "spec.addresses");
        List<String> exportTo = strings(spec, "exportTo", "spec.exportTo");
        Resolution resolution = Resolution.of(text(spec, "resolution", "spec.resolution"));
        List<String> statusAddresses = new ArrayList<>();
        List<String> statusHosts = new ArrayList<>();
        statusAddresses(object.path("status").path("addresses"), statusAddresses, statusHosts);
        JsonNode optOut = metadata.path("labels").path(AUTOALLOCATE_LABEL);
        boolean autoAllocateOptOut = optOut.isTextual() && optOut.asText().equalsIgnoreCase("false");
        return new ServiceEntryFacts(key, uid == null ? "" : uid, created,
                hosts, ports, addresses, statusAddresses, exportTo, resolution, meshguardAnnotations(metadata),
                statusHosts, autoAllocateOptOut, declaration(spec));
    }

    /** Istio's opt-out of IP auto-allocation for one ServiceEntry ({@code label.NetworkingEnableAutoallocateIp}). */
    static final String AUTOALLOCATE_LABEL = "networking.istio.io/enable-autoallocate-ip";

    /** A digest of the spec fields that make two declarations of one host differ beyond ports and addresses. */
    private static String declaration(JsonNode spec) {
        int digest = java.util.Objects.hash(spec.path("endpoints"), spec.path("workloadSelector"),
                spec.path("location"), spec.path("subjectAltNames"));
        return Integer.toHexString(digest).intern();
    }

    private static Map<String, String> meshguardAnnotations(JsonNode metadata) {
        JsonNode annotations = metadata.path("annotations");
        if (annotations.isMissingNode() || annotations.isNull()) {
            return Map.of();
        }
        if (!annotations.isObject()) {
            throw new MalformedObjectException("metadata.annotations is not a map");
        }
        Map<String, String> kept = new HashMap<>();
        annotations.fields().forEachRemaining(field -> {
            if (field.getKey().startsWith(MeshguardAnnotations.PREFIX)) {
                if (!field.getValue().isTextual()) {
                    throw new MalformedObjectException("metadata.annotations[" + field.getKey()
                            + "] must be a string, got " + describe(field.getValue()));
                }
                kept.put(field.getKey(), field.getValue().asText());
            }
        });
        return kept;
    }

    /**
     * A stored entry keeps the ports istiod keeps: a number out of range still decodes into istiod's uint32 and
     * is left out here, while a value of the wrong type fails istiod's decoding of the whole object, as here.
     */
    private static List<ServicePort> ports(JsonNode node, boolean skipOutOfRange) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new MalformedObjectException("spec.ports is not a list");
        }
        List<ServicePort> ports = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            ServicePort port = port(node.get(i), "spec.ports[" + i + "]", skipOutOfRange);
            if (port != null) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static ServicePort port(JsonNode port, String path, boolean skipOutOfRange) {
        if (!port.isObject()) {
            throw new MalformedObjectException(path + " is not an object");
        }
        JsonNode number = port.path("number");
        if ((number.isMissingNode() || number.isNull()) && !skipOutOfRange) {
            throw new MalformedObjectException(path + ".number must be an integer, got " + describe(number));
        }
        // As the API server stores it: 443 or 443.0; never 443.5 or "443".
        long value = ServiceEntrySpecReader.number(number, path + ".number");
        String protocol = text(port, "protocol", path + ".protocol");
        if (value < 1 || value > 65535) {
            if (skipOutOfRange) {
                return null;
            }
            throw new MalformedObjectException(path + ".number must be between 1 and 65535, got " + value);
        }
        return new ServicePort((int) value, protocol == null ? null : protocol.intern());
    }

    /** {@code status.addresses[]}: each value, and the host it was allocated for (empty when not given). */
    private static void statusAddresses(JsonNode node, List<String> values, List<String> hosts) {
        if (!node.isArray()) {
            return;
        }
        for (JsonNode address : node) {
            JsonNode value = address.isObject() ? address.path("value") : address;
            if (value.isTextual() && !value.asText().isEmpty()) {
                values.add(value.asText());
                JsonNode host = address.path("host");
                hosts.add(host.isTextual() ? host.asText() : "");
            }
        }
    }

}
