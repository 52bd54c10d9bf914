package io.meshguard.decode;

import static io.meshguard.decode.ObjectFields.absent;
import static io.meshguard.decode.ObjectFields.describe;
import static io.meshguard.decode.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.ServiceEntrySpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a ServiceEntry, as the API server stores it, into a {@link ServiceEntrySpec}: every field istiod's
 * validation looks at, nothing filled in. A field of the wrong type is a {@link MalformedObjectException} that names
 * the field and what it got; numbers are read as the API server accepts them ({@code 443} or {@code 443.0}, not
 * {@code 443.5} or {@code "443"}); values out of range are kept for the validation to name.
 */
public final class ServiceEntrySpecReader {

    private ServiceEntrySpecReader() {
    }

    /** @param namespaceFallback used when the object names no namespace (a CREATE with generateName, a file) */
    public static ServiceEntrySpec read(JsonNode object, String namespaceFallback) {
        if (object == null || !object.isObject()) {
            throw new MalformedObjectException("the object is not a JSON object");
        }
        JsonNode metadata = object.path("metadata");
        EntryKey key = ObjectFields.key(metadata, namespaceFallback);
        JsonNode spec = ObjectFields.spec(object);
        return new ServiceEntrySpec(
                key,
                stringMap(metadata.path("labels"), "metadata.labels"),
                stringMap(metadata.path("annotations"), "metadata.annotations"),
                strings(spec.path("hosts"), "spec.hosts"),
                strings(spec.path("addresses"), "spec.addresses"),
                ports(spec.path("ports")),
                text(spec, "location", "spec.location"),
                text(spec, "resolution", "spec.resolution"),
                endpoints(spec.path("endpoints")),
                selector(spec.path("workloadSelector")),
                strings(spec.path("exportTo"), "spec.exportTo"),
                strings(spec.path("subjectAltNames"), "spec.subjectAltNames"),
                statusAddresses(object.path("status")));
    }

    private static List<ServiceEntrySpec.Port> ports(JsonNode node) {
        List<ServiceEntrySpec.Port> ports = new ArrayList<>();
        for (int i = 0; i < size(node, "spec.ports"); i++) {
            JsonNode port = node.get(i);
            String path = "spec.ports[" + i + "]";
            if (port.isNull()) {
                ports.add(ServiceEntrySpec.Port.absentItem());
                continue;
            }
            object(port, path);
            ports.add(new ServiceEntrySpec.Port(
                    number(port.path("number"), path + ".number"),
                    text(port, "protocol", path + ".protocol"),
                    text(port, "name", path + ".name"),
                    number(port.path("targetPort"), path + ".targetPort")));
        }
        return ports;
    }

    private static List<ServiceEntrySpec.Endpoint> endpoints(JsonNode node) {
        List<ServiceEntrySpec.Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < size(node, "spec.endpoints"); i++) {
            JsonNode endpoint = node.get(i);
            String path = "spec.endpoints[" + i + "]";
            if (endpoint.isNull()) {
                endpoints.add(ServiceEntrySpec.Endpoint.absentItem());
                continue;
            }
            object(endpoint, path);
            endpoints.add(new ServiceEntrySpec.Endpoint(false,
                    text(endpoint, "address", path + ".address"),
                    numberMap(endpoint.path("ports"), path + ".ports"),
                    stringMap(endpoint.path("labels"), path + ".labels"),
                    text(endpoint, "network", path + ".network"),
                    text(endpoint, "locality", path + ".locality"),
                    number(endpoint.path("weight"), path + ".weight"),
                    text(endpoint, "serviceAccount", path + ".serviceAccount")));
        }
        return endpoints;
    }

    private static ServiceEntrySpec.WorkloadSelector selector(JsonNode node) {
        if (absent(node)) {
            return null;
        }
        object(node, "spec.workloadSelector");
        return new ServiceEntrySpec.WorkloadSelector(stringMap(node.path("labels"), "spec.workloadSelector.labels"));
    }

    /** {@code status.addresses}: istiod writes {@code [{value: ..., host: ...}]}; anything else is ignored. */
    private static List<String> statusAddresses(JsonNode status) {
        List<String> values = new ArrayList<>();
        JsonNode addresses = status.path("addresses");
        if (addresses.isArray()) {
            for (JsonNode address : addresses) {
                JsonNode value = address.isObject() ? address.path("value") : address;
                if (value.isTextual() && !value.asText().isEmpty()) {
                    values.add(value.asText());
                }
            }
        }
        return values;
    }

    /** The number of items of a list field; 0 when it is unset. */
    private static int size(JsonNode node, String path) {
        if (absent(node)) {
            return 0;
        }
        if (!node.isArray()) {
            throw new MalformedObjectException(path + " must be a list, got " + describe(node));
        }
        return node.size();
    }

    private static void object(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new MalformedObjectException(path + " must be an object, got " + describe(node));
        }
    }

    private static List<String> strings(JsonNode node, String path) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < size(node, path); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new MalformedObjectException(path + "[" + i + "] must be a string, got " + describe(item));
            }
            values.add(item.asText());
        }
        return values;
    }

    private static Map<String, String> stringMap(JsonNode node, String path) {
        if (absent(node)) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new MalformedObjectException(path + " must be a map, got " + describe(node));
        }
        Map<String, String> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            if (!field.getValue().isTextual()) {
                throw new MalformedObjectException(path + "[" + field.getKey() + "] must be a string, got "
                        + describe(field.getValue()));
            }
            values.put(field.getKey(), field.getValue().asText());
        });
        return values;
    }

    private static Map<String, Long> numberMap(JsonNode node, String path) {
        if (absent(node)) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new MalformedObjectException(path + " must be a map, got " + describe(node));
        }
        Map<String, Long> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            String where = path + "[" + field.getKey() + "]";
            if (absent(field.getValue())) {
                throw new MalformedObjectException(where + " must be a number, got null");
            }
            values.put(field.getKey(), number(field.getValue(), where));
        });
        return values;
    }

    /**
     * A whole number: {@code 443}, or {@code 443.0} as a JSON encoder may write it; 0 when unset. Fractions, strings,
     * booleans and numbers beyond a long are errors.
     */
    static long number(JsonNode node, String path) {
        if (absent(node)) {
            return 0;
        }
        if (!node.isNumber()) {
            throw new MalformedObjectException(path + " must be an integer, got " + describe(node)
                    + (node.isTextual() ? " \"" + abbreviate(node.asText()) + "\"" : ""));
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        try {
            BigDecimal value = node.decimalValue();
            return value.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new MalformedObjectException(path + " must be an integer, got " + abbreviate(node.asText()));
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }
}
