package io.meshguard.admission;

import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import java.util.Set;
import java.util.function.LongSupplier;

/** The {@code networking.istio.io} kinds: their group, the versions meshguard reads, and their routes. */
public final class IstioNetworking {

    public static final String GROUP = "networking.istio.io";
    /** One schema serves every served version of the networking kinds. */
    public static final Set<String> VERSIONS = Set.of("v1", "v1beta1", "v1alpha3");
    public static final String SERVICE_ENTRY = "ServiceEntry";
    public static final String GATEWAY = "Gateway";
    public static final String VIRTUAL_SERVICE = "VirtualService";

    private IstioNetworking() {
    }

    /** A route for a {@code networking.istio.io} kind. */
    public static <T> KindRoute.Builder<T> route(String kind, KindRoute.Reader<T> reader) {
        return KindRoute.of(GROUP, kind, VERSIONS, reader);
    }

    /**
     * The ServiceEntry route, without validators or mutators yet.
     *
     * @param clock the creation time of an entry not yet persisted
     */
    public static KindRoute.Builder<ServiceEntryFacts> serviceEntries(LongSupplier clock) {
        return route(SERVICE_ENTRY, (object, request) ->
                ServiceEntryReader.read(object, request.namespace(), clock.getAsLong()));
    }

    /**
     * The Gateway route, without validators yet.
     *
     * @param clock the creation time of a Gateway not yet persisted: it comes last in istiod's order
     */
    public static KindRoute.Builder<GatewayView> gateways(LongSupplier clock) {
        return route(GATEWAY, (object, request) -> GatewayReader.read(object, request.namespace(),
                clock.getAsLong()));
    }

    /** The VirtualService route as the Gateway rules read it, without validators yet. */
    public static KindRoute.Builder<VirtualServiceView> virtualServiceBindings(LongSupplier clock) {
        return route(VIRTUAL_SERVICE, (object, request) -> VirtualServiceBindingReader.read(object,
                request.namespace(), clock.getAsLong()));
    }
}
