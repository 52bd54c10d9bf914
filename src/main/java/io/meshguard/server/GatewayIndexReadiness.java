package io.meshguard.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the Gateway index reflects the cluster: a review before that could allow a conflicting Gateway. */
@Readiness
@ApplicationScoped
public class GatewayIndexReadiness implements HealthCheck {

    @Inject
    GatewayFeedLifecycle feed;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("gateway-index").status(feed.ready()).build();
    }
}
