package io.meshguard.rules.gateway;

import io.meshguard.mesh.gateway.GatewayView;
import java.util.Comparator;

/**
 * The order in which istiod merges Gateways: {@code sortConfigByCreationTime} ({@code configCompareByCreationTime}
 * in {@code pilot/pkg/model/config.go}), applied by {@code PushContext.initGateways}: older
 * {@code creationTimestamp} first, then name, then namespace. The first Gateway to claim a port or host keeps it.
 */
public final class GatewayOrder {

    public static final Comparator<GatewayView> ISTIOD = Comparator.comparingLong(GatewayView::createdMillis)
            .thenComparing(GatewayView::name)
            .thenComparing(GatewayView::namespace);

    private GatewayOrder() {
    }

    /** Why {@code first} comes before {@code second}, for a message: "older", "same age, name sorts first", ... */
    public static String why(GatewayView first, GatewayView second) {
        if (first.createdMillis() != second.createdMillis()) {
            return "older";
        }
        if (!first.name().equals(second.name())) {
            return "same creation time, name sorts first";
        }
        return "same creation time and name, namespace sorts first";
    }
}
