package io.meshguard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.meshguard.companions.Companions;
import io.meshguard.mesh.EntryKey;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.mesh.RoutingVirtualService;
import io.meshguard.mesh.ServiceEntryFacts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's lookups over fabric8's informer caches: by key, by owner and by host, each finding exactly
 * the objects that concern one entry, and the entries a change affects. The caches are filled directly, as an
 * informer fills them.
 */
class CompanionStoresTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final CacheImpl<GenericKubernetesResource> entries = new CacheImpl<>();
    private final CacheImpl<GenericKubernetesResource> virtualServices = new CacheImpl<>();
    private final CacheImpl<GenericKubernetesResource> gateways = new CacheImpl<>();
    private final CacheImpl<GenericKubernetesResource> destinationRules = new CacheImpl<>();
    private CompanionStores stores;

    @BeforeEach
    void fill() {
        // Objects stored before the indexes exist are indexed too: the controller adds its indexes to informers
        // that every replica started earlier.
        put(entries, "ServiceEntry", "ns1", "github", "", "[github.com, www.github.com]");
        stores = new CompanionStores(entries, virtualServices, gateways, destinationRules, () -> MeshConfig.DEFAULT,
                SERIALIZATION);
        put(entries, "ServiceEntry", "ns2", "github", "", "[github.com]");
        put(entries, "ServiceEntry", "ns1", "billing", "", "[billing]");
        put(entries, "ServiceEntry", "ns2", "billing", "", "[billing]");
        put(virtualServices, "VirtualService", "ns1", "github-sni", owned("github", true), "[github.com]");
        put(virtualServices, "VirtualService", "ns1", "gitlab-sni", owned("gitlab", true), "[gitlab.com]");
        put(virtualServices, "VirtualService", "ns2", "github-sni", owned("github", true), "[github.com]");
        put(virtualServices, "VirtualService", "platform", "github-routes", "", "[github.com]");
        put(virtualServices, "VirtualService", "ns1", "billing-routes", "", "[billing]");
        put(virtualServices, "VirtualService", "ns1", "copied", "labels: {team: git}, ownerReferences: "
                + "[{apiVersion: networking.istio.io/v1, kind: ServiceEntry, name: github, uid: u, controller: true}]",
                "[github.com]");
        put(gateways, "Gateway", "ns1", "github-egress", owned("github", true), "[]");
        put(destinationRules, "DestinationRule", "ns1", "github-egress", owned("github", false), "[]");
    }

    @Test
    void owned_finds_the_entrys_companions_of_every_kind_and_nothing_else() {
        List<String> owned = stores.owned(new EntryKey("ns1", "github")).stream()
                .map(object -> object.path("metadata").path("namespace").asText() + ":" + Companions.reference(object))
                .toList();

        assertThat(owned).as("not ns2's github-sni, not the unlabelled copy, not the DestinationRule whose"
                + " reference is not the controller").containsExactlyInAnyOrder("ns1:VirtualService/github-sni",
                        "ns1:Gateway/github-egress");
    }

    @Test
    void routing_finds_the_virtualservices_naming_one_of_the_entrys_hosts_short_names_in_their_namespace() {
        assertThat(names(stores.routing(facts("ns1", "github")))).as("every namespace's; the planner weighs scopes")
                .containsExactlyInAnyOrder("ns1/github-sni", "ns2/github-sni", "ns1/copied", "platform/github-routes");
        assertThat(names(stores.routing(facts("ns1", "billing")))).containsExactly("ns1/billing-routes");
        assertThat(names(stores.routing(facts("ns2", "billing")))).as("billing in ns1 is another host").isEmpty();
    }

    @Test
    void a_virtualservice_change_affects_its_owner_and_every_entry_declaring_its_hosts() {
        List<EntryKey> affected = new ArrayList<>();

        stores.virtualServiceChanged(virtualServices.getByKey("platform/github-routes"), affected::add);
        assertThat(affected).containsExactlyInAnyOrder(new EntryKey("ns1", "github"), new EntryKey("ns2", "github"));

        affected.clear();
        stores.virtualServiceChanged(virtualServices.getByKey("ns1/gitlab-sni"), affected::add);
        assertThat(affected).as("its owner, though gone").containsExactly(new EntryKey("ns1", "gitlab"));

        affected.clear();
        stores.virtualServiceChanged(virtualServices.getByKey("ns1/billing-routes"), affected::add);
        assertThat(affected).containsExactly(new EntryKey("ns1", "billing"));
    }

    @Test
    void a_companion_change_affects_its_owner_only_when_meshguard_owns_it() {
        List<EntryKey> affected = new ArrayList<>();
        stores.companionChanged(gateways.getByKey("ns1/github-egress"), affected::add);
        stores.companionChanged(destinationRules.getByKey("ns1/github-egress"), affected::add);
        assertThat(affected).containsExactly(new EntryKey("ns1", "github"));
    }

    @Test
    void an_entry_is_absent_unreadable_or_read() {
        put(entries, "ServiceEntry", "ns1", "broken", "", "[broken.example.com]");
        GenericKubernetesResource broken = entries.getByKey("ns1/broken");
        broken.getAdditionalProperties().put("spec", Map.of("hosts", "not-a-list"));
        entries.put(broken);

        assertThat(stores.entry(new EntryKey("ns1", "gone"))).isInstanceOf(CompanionCache.Absent.class);
        assertThat(stores.entry(new EntryKey("ns1", "broken"))).isInstanceOf(CompanionCache.Unreadable.class);
        CompanionCache.StoredEntry github = stores.entry(new EntryKey("ns1", "github"));
        assertThat(github).isInstanceOf(CompanionCache.Present.class);
        CompanionCache.Present present = (CompanionCache.Present) github;
        assertThat(present.facts().hosts()).containsExactly("github.com", "www.github.com");
        assertThat(present.reference()).isEqualTo(new CompanionCache.EntryReference("networking.istio.io/v1",
                "ServiceEntry", "ns1", "github", "uid-ns1-github"));
    }

    @Test
    void cached_reads_whatever_is_stored_under_a_name_whoever_wrote_it() {
        assertThat(stores.cached("VirtualService", "platform", "github-routes")).isPresent();
        assertThat(stores.cached("Gateway", "ns1", "github-egress")).isPresent();
        assertThat(stores.cached("Gateway", "ns1", "github-sni")).isEmpty();
        assertThat(stores.cached("ServiceEntry", "ns1", "github")).as("not a companion kind").isEmpty();
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static String owned(String entry, boolean controller) {
        return "labels: {app.kubernetes.io/managed-by: meshguard}, ownerReferences: [{apiVersion:"
                + " networking.istio.io/v1, kind: ServiceEntry, name: " + entry + ", uid: u-" + entry + ", controller: "
                + controller + "}]";
    }

    private static void put(CacheImpl<GenericKubernetesResource> store, String kind, String namespace, String name,
            String metadata, String hosts) {
        try {
            JsonNode object = YAML.readTree("apiVersion: networking.istio.io/v1\nkind: " + kind + "\n"
                    + "metadata: {name: " + name + ", namespace: " + namespace + ", uid: uid-" + namespace + "-" + name
                    + (metadata.isEmpty() ? "" : ", " + metadata) + "}\n"
                    + "spec: {hosts: " + hosts + ", ports: [{number: 443, name: tls, protocol: TLS}],"
                    + " resolution: DNS}\n");
            store.put(SERIALIZATION.convertValue(object, GenericKubernetesResource.class));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ServiceEntryFacts facts(String namespace, String name) {
        return ((CompanionCache.Present) stores.entry(new EntryKey(namespace, name))).facts();
    }

    private static List<String> names(List<RoutingVirtualService> found) {
        return found.stream().map(vs -> vs.namespace() + "/" + vs.name()).toList();
    }
}
