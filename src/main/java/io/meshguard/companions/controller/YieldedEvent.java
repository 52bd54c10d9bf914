package io.meshguard.companions.controller;

import io.meshguard.companions.Plan;

/** The Event an entry gets when its SNI VirtualService is deleted because other VirtualServices route its hosts. */
public final class YieldedEvent {

    public static final String REASON = "SniVirtualServiceYielded";

    private YieldedEvent() {
    }

    /** @param companion {@code VirtualService/<name>}, the companion deleted */
    public static String message(String companion, Plan plan) {
        return "meshguard deleted its " + companion + ": "
                + String.join(" ", plan.yields().stream().map(Plan.Yield::message).toList());
    }
}
