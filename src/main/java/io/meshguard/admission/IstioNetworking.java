package io.meshguard.admission;

import io.meshguard.decode.ServiceEntryReader;
import io.meshguard.mesh.ServiceEntryFacts;
import java.util.Set;
import java.util.function.LongSupplier;

/** The {@code networking.istio.io} kinds: their group, the versions meshguard reads, and their routes. */
public final class IstioNetworking {

    public static final String GROUP = "networking.istio.io";
    /** One schema serves every served version of the networking kinds. */
    public static final Set<String> VERSIONS = Set.of("v1", "v1beta1", "v1alpha3");
    public static final String SERVICE_ENTRY = "ServiceEntry";

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
}
