package io.meshguard.server;

import io.meshguard.admission.IstioNetworking;
import io.meshguard.decode.GatewayReader;
import io.meshguard.decode.MalformedObjectException;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.decode.VirtualServiceBindingReader;
import io.meshguard.index.GatewayIndex;
import io.meshguard.index.ServiceEntryIndex;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Standalone only: loads {@code meshguard.standalone.preload-dir} into the index before meshguard reports ready.
 * The reading and its error reporting live in {@link ManifestLoader}; this is only the start-up hook.
 */
@ApplicationScoped
public class StandalonePreload {

    private static final Logger LOG = Logger.getLogger(StandalonePreload.class);
    /** Past this many bad documents the log says how many more there are instead of listing them. */
    static final int LOGGED_PROBLEMS = 50;

    @Inject
    RunMode mode;

    @Inject
    MeshguardConfig config;

    @Inject
    ServiceEntryIndex index;

    @Inject
    GatewayIndex gateways;

    private volatile boolean done;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        try {
            config.standalone().preloadDir().ifPresent(this::preload);
        } finally {
            done = true;
        }
    }

    private void preload(String dir) {
        if (mode != RunMode.STANDALONE) {
            LOG.warnf("meshguard.standalone.preload-dir (%s) is ignored in cluster mode: the informers fill the index",
                    dir);
            return;
        }
        long started = System.nanoTime();
        ManifestLoader.Result result;
        try {
            result = new ManifestLoader().load(Path.of(dir), System.currentTimeMillis());
        } catch (IOException e) {
            // A preload that cannot happen at all is a configuration error: refuse to start rather than judge blind.
            throw new IllegalStateException("meshguard.standalone.preload-dir: " + e.getMessage(), e);
        }
        List<ManifestLoader.Problem> problems = result.problems();
        for (int i = 0; i < Math.min(LOGGED_PROBLEMS, problems.size()); i++) {
            LOG.warnf("preload: %s", problems.get(i));
        }
        if (problems.size() > LOGGED_PROBLEMS) {
            LOG.warnf("preload: %d more bad documents not listed", problems.size() - LOGGED_PROBLEMS);
        }
        result.entries().forEach(index::confirm);
        LOG.infof("%s (%s, %d ms)", result.summary(), dir, (System.nanoTime() - started) / 1_000_000);
        preloadGateways(dir);
    }

    /**
     * The Istio Gateways and VirtualServices of the same folder, into the {@link GatewayIndex}. A document that cannot
     * be read at all was already logged by the ServiceEntry load; an object that cannot be read is logged here.
     */
    private void preloadGateways(String dir) {
        long now = System.currentTimeMillis();
        int[] counts = new int[3];
        new ManifestLoader().scan(List.of(dir), InputStream.nullInputStream(), (file, line, where, object) -> {
            String kind = object.path("kind").asText();
            if (!object.path("apiVersion").asText("").startsWith(IstioNetworking.GROUP + "/")
                    || !(kind.equals(IstioNetworking.GATEWAY) || kind.equals(IstioNetworking.VIRTUAL_SERVICE))) {
                return false;
            }
            try {
                if (kind.equals(IstioNetworking.GATEWAY)) {
                    gateways.confirm(GatewayReader.read(object, null, now));
                    counts[0]++;
                } else {
                    gateways.putVirtualService(VirtualServiceBindingReader.read(object, null, now));
                    counts[1]++;
                }
            } catch (MalformedObjectException e) {
                counts[2]++;
                if (counts[2] <= LOGGED_PROBLEMS) {
                    LOG.warnf("preload: %s", new ManifestLoader.Problem(file, line, where + kind + ": "
                            + e.getMessage()));
                }
            }
            return true;
        });
        if (counts[0] + counts[1] + counts[2] > 0) {
            LOG.infof("preloaded %d Gateways and %d VirtualServices from %s; %d unreadable", counts[0], counts[1], dir,
                    counts[2]);
        }
    }

    /** True once the preload, if one is configured, has been loaded (or there is none). */
    public boolean done() {
        return done;
    }
}
