package io.meshguard.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the index reflects the cluster: a review before that could allow a collision. */
@Readiness
@ApplicationScoped
public class IndexReadiness implements HealthCheck {

    @Inject
    ClusterFeedLifecycle feed;

    @Inject
    RunMode mode;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("serviceentry-index")
                .status(feed.ready())
                .withData("mode", mode.name().toLowerCase(java.util.Locale.ROOT))
                .build();
    }
}
