package io.meshguard.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.gateway.GatewayHost;
import io.meshguard.mesh.gateway.GatewayServer;
import io.meshguard.mesh.gateway.GatewayView;
import io.meshguard.mesh.gateway.VirtualServiceView;
import io.meshguard.rules.Decision;
import io.meshguard.rules.gateway.GatewayReview;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GatewayIndexTest {

    static final Map<String, String> INGRESS = Map.of("istio", "ingressgateway");
    static final Map<String, String> EGRESS = Map.of("istio", "egressgateway");

    static GatewayView gateway(String namespace, String name, long created, Map<String, String> selector, int port,
            String protocol, String host) {
        return new GatewayView(new EntryKey(namespace, name), created, selector, List.of(
                new GatewayServer(0, port, "p", protocol, "", List.of(GatewayHost.parse(host)), null)));
    }

    static List<GatewayView> onIngress80(GatewayIndex index) {
        return index.atomically(s -> List.copyOf(s.onPort(INGRESS, 80)));
    }

    @Test
    void files_gateways_by_selector_and_port_only() {
        GatewayIndex index = new GatewayIndex(() -> 0, 1000);
        index.confirm(gateway("default", "a", 1, INGRESS, 80, "HTTP", "*"));
        index.confirm(gateway("default", "b", 2, EGRESS, 80, "HTTP", "*"));
        index.atomically(snapshot -> {
            assertThat(snapshot.onPort(INGRESS, 80)).extracting(GatewayView::name).containsExactly("a");
            assertThat(snapshot.onPort(INGRESS, 443)).isEmpty();
            assertThat(snapshot.onPort(EGRESS, 80)).extracting(GatewayView::name).containsExactly("b");
            assertThat(snapshot.selectors()).containsExactlyInAnyOrder(INGRESS, EGRESS);
            return null;
        });
        index.removeGateway(new EntryKey("default", "b"));
        index.atomically(snapshot -> {
            assertThat(snapshot.selectors()).containsExactly(INGRESS);
            assertThat(snapshot.gateway(new EntryKey("default", "b"))).isNull();
            return null;
        });
    }

    /** The audit reruns when the version moves: confirmed changes move it, a reservation does not. */
    @Test
    void the_version_counts_confirmed_changes_and_the_audit_reads_confirmed_gateways_only() {
        GatewayIndex index = new GatewayIndex(() -> 0, 1000);
        long start = index.version();
        index.reserve(gateway("default", "reserved", 1, INGRESS, 80, "HTTP", "a.example.com"));
        assertThat(index.version()).as("a reservation").isEqualTo(start);
        assertThat(index.confirmedGateways()).isEmpty();

        index.confirm(gateway("default", "a", 1, INGRESS, 80, "HTTP", "*"));
        long afterConfirm = index.version();
        assertThat(afterConfirm).isGreaterThan(start);
        assertThat(index.confirmedGateways()).extracting(GatewayView::name).containsExactly("a");

        VirtualServiceView vs = new VirtualServiceView(new EntryKey("default", "v"), 0, List.of("*"), List.of("a"),
                List.of(), false);
        index.putVirtualService(vs);
        long afterPut = index.version();
        assertThat(afterPut).isGreaterThan(afterConfirm);
        assertThat(index.allVirtualServices()).containsExactly(vs);

        index.removeVirtualService(vs.key());
        assertThat(index.version()).isGreaterThan(afterPut);
        long afterRemove = index.version();
        index.removeVirtualService(vs.key());
        index.removeGateway(new EntryKey("default", "nothing"));
        assertThat(index.version()).as("removing what is not there").isEqualTo(afterRemove);
        index.removeGateway(new EntryKey("default", "a"));
        assertThat(index.version()).isGreaterThan(afterRemove);
        assertThat(index.allVirtualServices()).isEmpty();
    }

    @Test
    void an_update_refiles_the_gateway_under_its_new_ports() {
        GatewayIndex index = new GatewayIndex(() -> 0, 1000);
        index.confirm(gateway("default", "a", 1, INGRESS, 80, "HTTP", "*"));
        index.confirm(gateway("default", "a", 1, INGRESS, 8080, "HTTP", "*"));
        index.atomically(snapshot -> {
            assertThat(snapshot.onPort(INGRESS, 80)).isEmpty();
            assertThat(snapshot.onPort(INGRESS, 8080)).hasSize(1);
            return null;
        });
        assertThat(index.gateways()).isEqualTo(1);
    }

    @Test
    void a_reservation_holds_until_confirmed_or_expired() {
        AtomicLong now = new AtomicLong(0);
        GatewayIndex index = new GatewayIndex(now::get, 1000);
        GatewayView reserved = gateway("default", "a", 1, INGRESS, 80, "HTTP", "*");
        index.reserve(reserved);
        assertThat(onIngress80(index)).hasSize(1);
        now.set(1000);
        assertThat(onIngress80(index)).isEmpty();
        assertThat(index.reservations()).isZero();

        index.reserve(reserved);
        index.confirm(reserved);
        assertThat(index.reservations()).isZero();
        now.set(5000);
        assertThat(onIngress80(index)).hasSize(1);
    }

    @Test
    void virtual_services_are_filed_by_the_gateway_they_resolve_to_and_by_mesh_host() {
        GatewayIndex index = new GatewayIndex(() -> 0, 1000);
        VirtualServiceView vs = new VirtualServiceView(new EntryKey("default", "bookinfo"), 0, List.of("reviews"),
                List.of("bookinfo-gateway", "mesh"), List.of(), false);
        index.putVirtualService(vs);
        index.atomically(snapshot -> {
            assertThat(snapshot.boundTo(new EntryKey("default", "bookinfo-gateway"))).containsExactly(vs);
            assertThat(snapshot.onMeshWithHost("reviews.default.svc.cluster.local")).containsExactly(vs);
            return null;
        });
        VirtualServiceView moved = new VirtualServiceView(vs.key(), 0, List.of("reviews"),
                List.of("istio-system/public"), List.of(), false);
        index.putVirtualService(moved);
        index.atomically(snapshot -> {
            assertThat(snapshot.boundTo(new EntryKey("default", "bookinfo-gateway"))).isEmpty();
            assertThat(snapshot.boundTo(new EntryKey("istio-system", "public"))).containsExactly(moved);
            assertThat(snapshot.onMesh()).isEmpty();
            return null;
        });
    }

    @Test
    void two_conflicting_gateways_reviewed_at_once_are_not_both_allowed() throws Exception {
        GatewayIndex index = new GatewayIndex(() -> 0, 60_000);
        GatewayReview review = GatewayReview.standard();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            GatewayView g = gateway("ns" + i, "gw", 1, INGRESS, 80, "HTTP", "*");
            results.add(pool.submit(() -> {
                start.await();
                return index.atomically(snapshot -> {
                    Decision decision = review.review(g, null, snapshot);
                    if (decision.allowed()) {
                        index.reserve(g);
                    }
                    return decision.allowed();
                });
            }));
        }
        start.countDown();
        int allowed = 0;
        for (Future<Boolean> result : results) {
            allowed += result.get() ? 1 : 0;
        }
        pool.shutdown();
        assertThat(allowed).isEqualTo(1);
    }
}
