package io.meshguard.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the VirtualServices are listed: a plan made before that could miss a hand-written one. */
@Readiness
@ApplicationScoped
public class CompanionsReadiness implements HealthCheck {

    @Inject
    CompanionsLifecycle companions;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("virtualservice-index").status(companions.ready()).build();
    }
}
