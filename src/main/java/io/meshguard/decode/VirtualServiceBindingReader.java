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
        ObjectFields.requireObject(object, "VirtualService");
        JsonNode metadata = object.path("metadata");
        EntryKey key = ObjectFields.key(metadata, namespaceFallback);
        long created = ObjectFields.created(metadata, nowMillis);
        Map<String, String> labels = ObjectFields.stringMap(metadata, "labels", "metadata.labels");
        JsonNode spec = ObjectFields.spec(object);
        return new VirtualServiceView(key, created,
                ObjectFields.strings(spec, "hosts", "spec.hosts"),
                ObjectFields.strings(spec, "gateways", "spec.gateways"),
                ObjectFields.strings(spec, "exportTo", "spec.exportTo"),
                CompanionOwner.managed(labels), ObjectFields.text(metadata, "uid", "metadata.uid"));
    }
}
