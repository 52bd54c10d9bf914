package io.meshguard.decode;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.CompanionOwner;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.VirtualServiceView;
import java.util.Map;

/**
 * Reads an Istio VirtualService as the API server stores it into a {@link VirtualServiceView}: hosts, gateways,
 * exportTo, and whether meshguard manages it. A field of the wrong shape is a {@link MalformedObjectException}
 * naming it.
 */
public final class VirtualServiceBindingReader {

    private VirtualServiceBindingReader() {
    }

    public static VirtualServiceView read(JsonNode object, String namespaceFallback, long nowMillis) {
        GatewayFields.requireObject(object, "VirtualService");
        JsonNode metadata = object.path("metadata");
        EntryKey key = GatewayFields.key(metadata, namespaceFallback);
        long created = GatewayFields.created(metadata, nowMillis);
        Map<String, String> labels = GatewayFields.stringMap(metadata, "labels", "metadata.labels");
        JsonNode spec = GatewayFields.spec(object);
        return new VirtualServiceView(key, created,
                GatewayFields.strings(spec, "hosts", "spec.hosts"),
                GatewayFields.strings(spec, "gateways", "spec.gateways"),
                GatewayFields.strings(spec, "exportTo", "spec.exportTo"),
                CompanionOwner.managed(labels), GatewayFields.text(metadata, "uid", "metadata.uid"));
    }
}
