package io.meshguard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every property the install depends on, one assertion each, over {@code kubectl kustomize k8s/} (or, without
 * kubectl, over the files k8s/kustomization.yaml lists), so that no edit can drop one silently.
 */
class ManifestsTest {

    static final Path K8S = Path.of("k8s");
    static final String NS = "meshguard";
    static final String ISTIO = "networking.istio.io";
    static final Set<String> WRITE_VERBS = Set.of("create", "patch", "update", "delete");
    static final Set<String> REPORTS = Set.of("openreports.io/reports", "wgpolicyk8s.io/policyreports");

    static List<HasMetadata> objects;

    @BeforeAll
    static void render() {
        objects = Kustomize.render(K8S);
    }

    static <T extends HasMetadata> T one(List<HasMetadata> from, Class<T> type, String namespace, String name) {
        List<T> found = from.stream().filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName()))
                .filter(o -> Objects.equals(namespace, o.getMetadata().getNamespace()))
                .toList();
        assertThat(found).as("%s %s/%s in the rendered manifests", type.getSimpleName(), namespace, name).hasSize(1);
        return found.get(0);
    }

    static <T extends HasMetadata> T one(Class<T> type, String namespace, String name) {
        return one(objects, type, namespace, name);
    }

    static Deployment deployment() {
        return one(Deployment.class, NS, "meshguard");
    }

    static PodSpec pod() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    static Container container() {
        List<Container> containers = pod().getContainers();
        assertThat(containers).as("containers of the meshguard pod").hasSize(1);
        return containers.get(0);
    }

    static Map<String, String> podLabels() {
        return deployment().getSpec().getTemplate().getMetadata().getLabels();
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    /** The webhook for ServiceEntries and Gateways, first: the one the fail-closed switch and overlays patch. */
    static ValidatingWebhook validating() {
        List<ValidatingWebhook> hooks = one(ValidatingWebhookConfiguration.class, null, "meshguard").getWebhooks();
        assertThat(hooks).as("webhooks of ValidatingWebhookConfiguration meshguard").extracting(ValidatingWebhook::getName)
                .containsExactly("validate.serviceentries.meshguard.io", "validate.warn-only.meshguard.io");
        return hooks.get(0);
    }

    /** The webhook for what is only warned about: VirtualServices, and the deletion of a Gateway. */
    static ValidatingWebhook validatingWarnOnly() {
        return one(ValidatingWebhookConfiguration.class, null, "meshguard").getWebhooks().get(1);
    }

    static MutatingWebhook mutating() {
        List<MutatingWebhook> hooks = one(MutatingWebhookConfiguration.class, null, "meshguard").getWebhooks();
        assertThat(hooks).as("webhooks of MutatingWebhookConfiguration meshguard").hasSize(1);
        return hooks.get(0);
    }

    /** Resolves a probe's or Service's port (number or container port name) to the container port number. */
    static int containerPort(IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container().getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(p -> p.getContainerPort()).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    static String env(Container container, String name) {
        return container.getEnv().stream().filter(e -> name.equals(e.getName())).map(EnvVar::getValue)
                .findFirst().orElse(null);
    }

    // --- namespace and service account ----------------------------------------------------------------

    @Test
    void namespaceMeshguardExists() {
        assertThat(one(Namespace.class, null, NS)).isNotNull();
    }

    @Test
    void namespaceKeepsIstioSidecarsOut() {
        assertThat(one(Namespace.class, null, NS).getMetadata().getLabels()).containsEntry("istio-injection", "disabled");
        assertThat(podLabels()).containsEntry("sidecar.istio.io/inject", "false");
    }

    @Test
    void namespaceEnforcesTheRestrictedPodSecurityStandard() {
        assertThat(one(Namespace.class, null, NS).getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    @Test
    void everyNamespacedObjectLivesInMeshguardExceptTheMeshConfigAndSelfTestRoles() {
        Set<String> elsewhere = objects.stream()
                .filter(o -> o.getMetadata().getNamespace() != null && !NS.equals(o.getMetadata().getNamespace()))
                .map(o -> o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(elsewhere).containsExactly("Role istio-system/meshguard-meshconfig",
                "Role meshguard-selftest/meshguard-selftest", "RoleBinding istio-system/meshguard-meshconfig",
                "RoleBinding meshguard-selftest/meshguard-selftest");
    }

    @Test
    void serviceAccountExists() {
        assertThat(one(ServiceAccount.class, NS, "meshguard")).isNotNull();
    }

    // --- service -----------------------------------------------------------------------------------------

    @Test
    void servicePort443TargetsContainerPort8443() {
        List<ServicePort> ports = one(Service.class, NS, "meshguard").getSpec().getPorts();
        assertThat(ports).as("Service ports").hasSize(1);
        assertThat(ports.get(0).getPort()).isEqualTo(443);
        assertThat(containerPort(ports.get(0).getTargetPort())).isEqualTo(8443);
    }

    @Test
    void serviceSelectsTheDeploymentPods() {
        assertThat(selects(one(Service.class, NS, "meshguard").getSpec().getSelector(), podLabels())).isTrue();
    }

    // --- deployment --------------------------------------------------------------------------------------

    @Test
    void deploymentRunsTwoReplicas() {
        assertThat(deployment().getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void replicasSpreadAcrossNodes() {
        List<TopologySpreadConstraint> byHost = pod().getTopologySpreadConstraints().stream()
                .filter(c -> "kubernetes.io/hostname".equals(c.getTopologyKey()))
                .filter(c -> "DoNotSchedule".equals(c.getWhenUnsatisfiable()))
                .filter(c -> c.getMaxSkew() == 1)
                .filter(c -> selects(c.getLabelSelector().getMatchLabels(), podLabels()))
                .toList();
        assertThat(byHost).as("a hard spread of the meshguard pods over kubernetes.io/hostname").hasSize(1);
    }

    @Test
    void rollingUpdateNeverTakesAReplicaAwayBeforeItsSuccessorIsReady() {
        assertThat(deployment().getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .isEqualTo(new IntOrString(0));
    }

    @Test
    void containerServesHttpsOn8443() {
        assertThat(container().getPorts()).singleElement()
                .satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8443))
                .satisfies(p -> assertThat(p.getName()).isEqualTo("https"));
    }

    @Test
    void readinessProbeIsHttpsHealthReadyOn8443() {
        Probe probe = container().getReadinessProbe();
        assertThat(probe.getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(containerPort(probe.getHttpGet().getPort())).isEqualTo(8443);
    }

    @Test
    void livenessProbeIsHttpsHealthLiveOn8443() {
        Probe probe = container().getLivenessProbe();
        assertThat(probe.getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(containerPort(probe.getHttpGet().getPort())).isEqualTo(8443);
    }

    @Test
    void startupProbeIsHttpsHealthStartedOn8443() {
        Probe probe = container().getStartupProbe();
        assertThat(probe.getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(containerPort(probe.getHttpGet().getPort())).isEqualTo(8443);
    }

    @Test
    void resourceRequestsAndMemoryLimitAreSet() {
        var resources = container().getResources();
        assertThat(resources.getRequests()).containsKeys("cpu", "memory");
        assertThat(resources.getLimits()).containsKey("memory");
    }

    @Test
    void runsAsNonRoot() {
        assertThat(container().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void rootFilesystemIsReadOnly() {
        assertThat(container().getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    @Test
    void dropsAllCapabilities() {
        assertThat(container().getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container().getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    }

    @Test
    void disallowsPrivilegeEscalation() {
        assertThat(container().getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    }

    @Test
    void seccompProfileIsRuntimeDefault() {
        assertThat(pod().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(container().getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void mountsSecretMeshguardTlsAtEtcMeshguardTls() {
        VolumeMount mount = container().getVolumeMounts().stream()
                .filter(m -> "/etc/meshguard/tls".equals(m.getMountPath())).findFirst().orElseThrow();
        Volume volume = pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("meshguard-tls");
        assertThat(mount.getReadOnly()).isTrue();
    }

    @Test
    void tlsMountHasNoSubPathSoRenewedSecretsReachTheRunningPod() {
        assertThat(container().getVolumeMounts()).filteredOn(m -> "/etc/meshguard/tls".equals(m.getMountPath()))
                .singleElement().satisfies(m -> assertThat(m.getSubPath()).isNullOrEmpty());
    }

    @ParameterizedTest
    @CsvSource({
        "MESHGUARD_MODE, cluster",
        "MESHGUARD_TLS_CERT_FILE, /etc/meshguard/tls/tls.crt",
        "MESHGUARD_TLS_KEY_FILE, /etc/meshguard/tls/tls.key",
        "MESHGUARD_ENFORCEMENT_FILE, /etc/meshguard/enforcement/enforcement.properties"})
    void environmentSets(String name, String value) {
        assertThat(env(container(), name)).isEqualTo(value);
    }

    @Test
    void tmpIsAWritableEmptyDir() {
        VolumeMount mount = container().getVolumeMounts().stream().filter(m -> "/tmp".equals(m.getMountPath()))
                .findFirst().orElseThrow();
        Volume volume = pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getEmptyDir()).isNotNull();
        assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
    }

    @Test
    void runsUnderTheMeshguardServiceAccount() {
        assertThat(pod().getServiceAccountName()).isEqualTo("meshguard");
    }

    // --- disruption budget and network policy -----------------------------------------------------------

    @Test
    void disruptionBudgetKeepsOneReplicaAvailable() {
        PodDisruptionBudget pdb = one(PodDisruptionBudget.class, NS, "meshguard");
        assertThat(pdb.getSpec().getMinAvailable()).isEqualTo(new IntOrString(1));
        assertThat(selects(pdb.getSpec().getSelector().getMatchLabels(), podLabels())).isTrue();
    }

    @Test
    void networkPolicySelectsTheMeshguardPods() {
        NetworkPolicy policy = one(NetworkPolicy.class, NS, "meshguard");
        assertThat(selects(policy.getSpec().getPodSelector().getMatchLabels(), podLabels())).isTrue();
    }

    @Test
    void networkPolicyAdmitsIngressOnlyOn8443() {
        NetworkPolicy policy = one(NetworkPolicy.class, NS, "meshguard");
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
        List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
        assertThat(rules).isNotEmpty();
        List<NetworkPolicyPort> ports = new ArrayList<>();
        for (NetworkPolicyIngressRule rule : rules) {
            assertThat(rule.getPorts()).as("a rule without ports admits every port").isNotEmpty();
            ports.addAll(rule.getPorts());
        }
        assertThat(ports).allSatisfy(p -> {
            assertThat(p.getPort()).isEqualTo(new IntOrString(8443));
            assertThat(p.getEndPort()).isNull();
        });
    }

    // --- RBAC ---------------------------------------------------------------------------------------------

    record Grant(String group, String resource, String verb) {
        @Override
        public String toString() {
            return (group.isEmpty() ? "core" : group) + "/" + resource + ":" + verb;
        }
    }

    static Set<Grant> grants(List<PolicyRule> rules) {
        Set<Grant> grants = new TreeSet<>(java.util.Comparator.comparing(Grant::toString));
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(new Grant(group, resource, verb));
                    }
                }
            }
        }
        return grants;
    }

    static ClusterRole clusterRole() {
        return one(ClusterRole.class, null, "meshguard");
    }

    static void assertBoundToMeshguard(RoleRef ref, List<Subject> subjects, String kind, String roleName) {
        assertThat(ref.getKind()).isEqualTo(kind);
        assertThat(ref.getName()).isEqualTo(roleName);
        assertThat(subjects).singleElement().satisfies(s -> {
            assertThat(s.getKind()).isEqualTo("ServiceAccount");
            assertThat(s.getName()).isEqualTo("meshguard");
            assertThat(s.getNamespace()).isEqualTo(NS);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"serviceentries", "virtualservices", "gateways", "sidecars"})
    void clusterRoleReadsIstioKind(String resource) {
        assertThat(grants(clusterRole().getRules())).contains(new Grant(ISTIO, resource, "get"),
                new Grant(ISTIO, resource, "list"), new Grant(ISTIO, resource, "watch"));
    }

    @Test
    void clusterRoleWritesOnlyTheCompanionKinds() {
        Set<String> written = grants(clusterRole().getRules()).stream().filter(g -> WRITE_VERBS.contains(g.verb()))
                .filter(g -> !g.resource().equals("events") && !REPORTS.contains(g.group() + "/" + g.resource()))
                .map(g -> g.group() + "/" + g.resource()).collect(Collectors.toSet());
        assertThat(written).containsExactlyInAnyOrder(ISTIO + "/virtualservices", ISTIO + "/gateways",
                ISTIO + "/destinationrules");
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtualservices", "gateways", "destinationrules"})
    void clusterRoleCreatesPatchesUpdatesAndDeletesCompanionKind(String resource) {
        assertThat(grants(clusterRole().getRules())).contains(new Grant(ISTIO, resource, "create"),
                new Grant(ISTIO, resource, "patch"), new Grant(ISTIO, resource, "update"),
                new Grant(ISTIO, resource, "delete"));
    }

    @Test
    void clusterRoleCreatesAndPatchesEventsInEveryNamespace() {
        assertThat(grants(clusterRole().getRules())).contains(new Grant("", "events", "create"),
                new Grant("", "events", "patch"));
    }

    @Test
    void clusterRoleGrantsNothingBeyondTheList() {
        Set<Grant> allowed = new HashSet<>();
        for (String resource : List.of("serviceentries", "virtualservices", "gateways", "sidecars", "destinationrules")) {
            for (String verb : List.of("get", "list", "watch")) {
                allowed.add(new Grant(ISTIO, resource, verb));
            }
        }
        for (String resource : List.of("virtualservices", "gateways", "destinationrules")) {
            WRITE_VERBS.forEach(verb -> allowed.add(new Grant(ISTIO, resource, verb)));
        }
        for (String group : List.of("", "events.k8s.io")) {
            allowed.add(new Grant(group, "events", "create"));
            allowed.add(new Grant(group, "events", "patch"));
        }
        for (String report : REPORTS) {
            for (String verb : List.of("get", "list", "create", "update", "delete")) {
                allowed.add(new Grant(report.substring(0, report.indexOf('/')), report.substring(report.indexOf('/') + 1),
                        verb));
            }
        }
        assertThat(grants(clusterRole().getRules())).isSubsetOf(allowed);
        assertThat(clusterRole().getRules()).allSatisfy(r -> {
            assertThat(r.getResourceNames()).isNullOrEmpty();
            assertThat(r.getNonResourceURLs()).isNullOrEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"openreports.io/reports", "wgpolicyk8s.io/policyreports"})
    void clusterRoleWritesAndListsTheAuditReports(String report) {
        String group = report.substring(0, report.indexOf('/'));
        String resource = report.substring(report.indexOf('/') + 1);
        assertThat(grants(clusterRole().getRules())).contains(new Grant(group, resource, "get"),
                new Grant(group, resource, "list"), new Grant(group, resource, "create"),
                new Grant(group, resource, "update"), new Grant(group, resource, "delete"));
    }

    @Test
    void webhookPolicyRoleGetsAndPatchesOnlyMeshguardsOwnValidatingWebhookConfiguration() {
        ClusterRole role = one(ClusterRole.class, null, "meshguard-webhook-policy");
        String ours = one(ValidatingWebhookConfiguration.class, null, "meshguard").getMetadata().getName();
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("admissionregistration.k8s.io");
            assertThat(rule.getResources()).containsExactly("validatingwebhookconfigurations");
            assertThat(rule.getResourceNames()).containsExactly(ours);
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "patch");
        });
        ClusterRoleBinding binding = one(ClusterRoleBinding.class, null, "meshguard-webhook-policy");
        assertBoundToMeshguard(binding.getRoleRef(), binding.getSubjects(), "ClusterRole", "meshguard-webhook-policy");
    }

    @Test
    void selfTestRoleGetsAndCreatesServiceEntriesOnlyInTheSelfTestNamespace() {
        one(io.fabric8.kubernetes.api.model.Namespace.class, null, "meshguard-selftest");
        Role role = one(Role.class, "meshguard-selftest", "meshguard-selftest");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(ISTIO);
            assertThat(rule.getResources()).containsExactly("serviceentries");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create");
        });
        RoleBinding binding = one(RoleBinding.class, "meshguard-selftest", "meshguard-selftest");
        assertBoundToMeshguard(binding.getRoleRef(), binding.getSubjects(), "Role", "meshguard-selftest");
    }

    @Test
    void theSelfTestNamespaceIsSeenByTheValidatingWebhook() {
        assertThat(validating().getNamespaceSelector().getMatchExpressions()).allSatisfy(e ->
                assertThat(e.getValues()).doesNotContain("meshguard-selftest"));
    }

    @Test
    void enforcementConfigMapIsMountedAsADirectoryAndParses() {
        io.fabric8.kubernetes.api.model.ConfigMap map = one(io.fabric8.kubernetes.api.model.ConfigMap.class, NS,
                "meshguard-enforcement");
        VolumeMount mount = container().getVolumeMounts().stream()
                .filter(m -> "/etc/meshguard/enforcement".equals(m.getMountPath())).findFirst().orElseThrow();
        assertThat(mount.getSubPath()).as("no subPath: an edited ConfigMap reaches the pod").isNullOrEmpty();
        Volume volume = pod().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                .findFirst().orElseThrow();
        assertThat(volume.getConfigMap().getName()).isEqualTo("meshguard-enforcement");
        String file = env(container(), "MESHGUARD_ENFORCEMENT_FILE");
        assertThat(file).startsWith(mount.getMountPath() + "/");
        String text = map.getData().get(file.substring(mount.getMountPath().length() + 1));
        assertThat(io.meshguard.enforcement.EnforcementSource.parse(text, io.meshguard.enforcement.Mode.WARN)
                .defaultMode()).isEqualTo(io.meshguard.enforcement.Mode.DENY);
    }

    @Test
    void noRbacRuleUsesAWildcard() {
        List<PolicyRule> rules = new ArrayList<>(clusterRole().getRules());
        objects.stream().filter(Role.class::isInstance).map(Role.class::cast).forEach(r -> rules.addAll(r.getRules()));
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.getApiGroups()).doesNotContain("*");
            assertThat(r.getResources()).doesNotContain("*");
            assertThat(r.getVerbs()).doesNotContain("*");
        });
    }

    @Test
    void clusterRoleIsBoundToTheServiceAccount() {
        ClusterRoleBinding binding = one(ClusterRoleBinding.class, null, "meshguard");
        assertBoundToMeshguard(binding.getRoleRef(), binding.getSubjects(), "ClusterRole", "meshguard");
    }

    @Test
    void meshConfigRoleReadsOnlyConfigMapIstioInIstioSystem() {
        Role role = one(Role.class, "istio-system", "meshguard-meshconfig");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactly("configmaps");
            assertThat(rule.getResourceNames()).containsExactly("istio");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
    }

    @Test
    void meshConfigRoleIsBoundToTheServiceAccount() {
        RoleBinding binding = one(RoleBinding.class, "istio-system", "meshguard-meshconfig");
        assertBoundToMeshguard(binding.getRoleRef(), binding.getSubjects(), "Role", "meshguard-meshconfig");
    }

    @Test
    void leaderElectionRoleGetsCreatesAndUpdatesLeasesInMeshguard() {
        Role role = one(Role.class, NS, "meshguard-leader-election");
        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
            assertThat(rule.getResources()).containsExactly("leases");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update");
        });
    }

    @Test
    void leaderElectionRoleIsBoundToTheServiceAccount() {
        RoleBinding binding = one(RoleBinding.class, NS, "meshguard-leader-election");
        assertBoundToMeshguard(binding.getRoleRef(), binding.getSubjects(), "Role", "meshguard-leader-election");
    }

    // --- webhooks: what both share ------------------------------------------------------------------------

    static void assertServiceEntryCreateAndUpdate(List<RuleWithOperations> rules) {
        assertThat(rules).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(ISTIO);
            assertThat(rule.getApiVersions()).containsExactly("*");
            assertThat(rule.getResources()).containsExactly("serviceentries");
            assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
        });
    }

    static void assertSkipsMeshguardAndKubeSystem(LabelSelector selector) {
        assertThat(selector.getMatchLabels()).isNullOrEmpty();
        assertThat(selector.getMatchExpressions()).singleElement().satisfies((LabelSelectorRequirement e) -> {
            assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
            assertThat(e.getOperator()).isEqualTo("NotIn");
            assertThat(e.getValues()).containsExactlyInAnyOrder(NS, "kube-system");
        });
    }

    static void assertCallsTheMeshguardService(ServiceReference service, String path) {
        Service target = one(Service.class, NS, "meshguard");
        assertThat(service.getName()).isEqualTo(target.getMetadata().getName());
        assertThat(service.getNamespace()).isEqualTo(target.getMetadata().getNamespace());
        assertThat(service.getPort()).isEqualTo(target.getSpec().getPorts().get(0).getPort());
        assertThat(service.getPath()).isEqualTo(path);
    }

    // --- validating webhook --------------------------------------------------------------------------------

    @Test
    void validatingWebhookSeesServiceEntryCreateAndUpdateInEveryVersion() {
        assertServiceEntryCreateAndUpdate(validating().getRules().subList(0, 1));
    }

    @Test
    void validatingWebhookSeesGatewayCreateAndUpdateInEveryVersion() {
        assertThat(validating().getRules()).hasSize(2);
        RuleWithOperations rule = validating().getRules().get(1);
        assertThat(rule.getApiGroups()).containsExactly(ISTIO);
        assertThat(rule.getApiVersions()).containsExactly("*");
        assertThat(rule.getResources()).containsExactly("gateways");
        assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
    }

    /**
     * VirtualServices and Gateway deletes are only warned about: their webhook never blocks them, whatever meshguard's
     * state.
     */
    @Test
    void whatIsOnlyWarnedAboutHasAWebhookOfItsOwnThatFailsOpen() {
        ValidatingWebhook vs = validatingWarnOnly();
        assertThat(vs.getRules()).hasSize(2);
        assertThat(vs.getRules().get(0)).satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(ISTIO);
            assertThat(rule.getApiVersions()).containsExactly("*");
            assertThat(rule.getResources()).containsExactly("virtualservices");
            assertThat(rule.getOperations()).containsExactlyInAnyOrder("CREATE", "UPDATE");
        });
        assertThat(vs.getRules().get(1)).satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly(ISTIO);
            assertThat(rule.getApiVersions()).containsExactly("*");
            assertThat(rule.getResources()).containsExactly("gateways");
            assertThat(rule.getOperations()).containsExactly("DELETE");
        });
        assertThat(vs.getFailurePolicy()).isEqualTo("Ignore");
        assertThat(vs.getSideEffects()).isEqualTo("None");
        assertThat(vs.getMatchPolicy()).isEqualTo("Equivalent");
        assertThat(vs.getTimeoutSeconds()).isEqualTo(5);
        assertThat(vs.getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
        assertSkipsMeshguardAndKubeSystem(vs.getNamespaceSelector());
        assertCallsTheMeshguardService(vs.getClientConfig().getService(), "/validate");
        assertThat(vs.getName()).as("the fail-closed switch patches the other one, by name "
                + "(meshguard.fail-closed.webhook)").isNotEqualTo(validating().getName());
    }

    @Test
    void validatingWebhookMatchPolicyIsEquivalent() {
        assertThat(validating().getMatchPolicy()).isEqualTo("Equivalent");
    }

    @Test
    void validatingWebhookHasNoSideEffects() {
        assertThat(validating().getSideEffects()).isEqualTo("None");
    }

    @Test
    void validatingWebhookSpeaksAdmissionReviewV1AndV1beta1() {
        assertThat(validating().getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
    }

    @Test
    void validatingWebhookTimesOutAfterFiveSeconds() {
        assertThat(validating().getTimeoutSeconds()).isEqualTo(5);
    }

    @Test
    void validatingWebhookSkipsMeshguardAndKubeSystem() {
        assertSkipsMeshguardAndKubeSystem(validating().getNamespaceSelector());
    }

    @Test
    void validatingWebhookCallsSlashValidateOnTheMeshguardService() {
        assertCallsTheMeshguardService(validating().getClientConfig().getService(), "/validate");
    }

    @Test
    void validatingWebhookIsInstalledFailOpenUntilTheSelfTestSwitchesIt() {
        assertThat(validating().getFailurePolicy()).isEqualTo("Ignore");
        assertThat(env(container(), "MESHGUARD_FAIL_CLOSED_ENABLED")).as("the switch is on by default").isNull();
    }

    @Test
    void failOpenOverlayOnlySwitchesTheSwitchOff() {
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH: overlays need kustomize");
        List<HasMetadata> failOpen = Kustomize.render(K8S.resolve("overlays/fail-open"));
        assertThat(one(failOpen, ValidatingWebhookConfiguration.class, null, "meshguard").getWebhooks().get(0)
                .getFailurePolicy()).isEqualTo("Ignore");
        Deployment deployment = one(failOpen, Deployment.class, NS, "meshguard");
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(container, "MESHGUARD_FAIL_CLOSED_ENABLED")).isEqualTo("false");
        container.getEnv().removeIf(e -> e.getName().equals("MESHGUARD_FAIL_CLOSED_ENABLED"));
        assertThat(failOpen).containsExactlyInAnyOrderElementsOf(objects);
    }

    @Test
    void auditOverlayOnlySetsTheDefaultModeToAudit() {
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH: overlays need kustomize");
        List<HasMetadata> audit = Kustomize.render(K8S.resolve("overlays/audit"));
        io.fabric8.kubernetes.api.model.ConfigMap map = one(audit, io.fabric8.kubernetes.api.model.ConfigMap.class, NS,
                "meshguard-enforcement");
        assertThat(io.meshguard.enforcement.EnforcementSource.parse(map.getData().get("enforcement.properties"),
                io.meshguard.enforcement.Mode.DENY).defaultMode()).isEqualTo(io.meshguard.enforcement.Mode.AUDIT);
        map.setData(one(io.fabric8.kubernetes.api.model.ConfigMap.class, NS, "meshguard-enforcement").getData());
        assertThat(audit).containsExactlyInAnyOrderElementsOf(objects);
    }

    @Test
    void failClosedOverlayInstallsFailAndSwitchesTheSwitchOff() {
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH: overlays need kustomize");
        List<HasMetadata> failClosed = Kustomize.render(K8S.resolve("overlays/fail-closed"));
        ValidatingWebhookConfiguration closed = one(failClosed, ValidatingWebhookConfiguration.class, null, "meshguard");
        assertThat(closed.getWebhooks().get(0).getFailurePolicy()).isEqualTo("Fail");
        assertThat(closed.getWebhooks().get(1).getFailurePolicy()).as("VirtualServices only warn: still Ignore")
                .isEqualTo("Ignore");
        Container container = one(failClosed, Deployment.class, NS, "meshguard").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(env(container, "MESHGUARD_FAIL_CLOSED_ENABLED")).isEqualTo("false");
        closed.getWebhooks().get(0).setFailurePolicy("Ignore");
        container.getEnv().removeIf(e -> e.getName().equals("MESHGUARD_FAIL_CLOSED_ENABLED"));
        assertThat(failClosed).containsExactlyInAnyOrderElementsOf(objects);
    }

    // --- mutating webhook ----------------------------------------------------------------------------------

    @Test
    void mutatingWebhookSeesServiceEntryCreateAndUpdateInEveryVersion() {
        assertServiceEntryCreateAndUpdate(mutating().getRules());
    }

    @Test
    void mutatingWebhookMatchPolicyIsEquivalent() {
        assertThat(mutating().getMatchPolicy()).isEqualTo("Equivalent");
    }

    @Test
    void mutatingWebhookHasNoSideEffectsOnDryRun() {
        assertThat(mutating().getSideEffects()).isEqualTo("NoneOnDryRun");
    }

    @Test
    void mutatingWebhookIsReinvokedIfNeeded() {
        assertThat(mutating().getReinvocationPolicy()).isEqualTo("IfNeeded");
    }

    @Test
    void mutatingWebhookSpeaksAdmissionReviewV1AndV1beta1() {
        assertThat(mutating().getAdmissionReviewVersions()).containsExactly("v1", "v1beta1");
    }

    @Test
    void mutatingWebhookTimesOutAfterFiveSeconds() {
        assertThat(mutating().getTimeoutSeconds()).isEqualTo(5);
    }

    @Test
    void mutatingWebhookSkipsMeshguardAndKubeSystem() {
        assertSkipsMeshguardAndKubeSystem(mutating().getNamespaceSelector());
    }

    @Test
    void mutatingWebhookCallsSlashMutateOnTheMeshguardService() {
        assertCallsTheMeshguardService(mutating().getClientConfig().getService(), "/mutate");
    }

    @Test
    void mutatingWebhookFailsOpen() {
        assertThat(mutating().getFailurePolicy()).isEqualTo("Ignore");
    }

    @Test
    void webhookConfigurationsCarryNoCaBundleOfTheirOwn() {
        // caBundle comes from certs/install-certs.sh or cert-manager; one written here would be applied over it.
        assertThat(validating().getClientConfig().getCaBundle()).isNull();
        assertThat(mutating().getClientConfig().getCaBundle()).isNull();
    }

    // --- the renderings agree --------------------------------------------------------------------------------

    @Test
    void readingTheListedFilesGivesWhatKustomizeRenders() {
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not on PATH: the fallback is what ran");
        assertThat(Kustomize.readFiles(K8S)).containsExactlyInAnyOrderElementsOf(objects);
    }

    /**
     * quarkus-kubernetes writes target/kubernetes/kubernetes.yml at package time. k8s/ is what gets installed;
     * the generated Deployment must still agree with it, so that nobody deploys a divergent copy.
     */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class GeneratedByQuarkusKubernetes {

        final Path generatedFile = Path.of("target/kubernetes/kubernetes.yml");
        Deployment generated;
        Container generatedContainer;

        @BeforeAll
        void load() throws IOException {
            assumeTrue(Files.exists(generatedFile), generatedFile + " is absent: run mvn package first");
            generated = one(Kustomize.parse(Files.readString(generatedFile)), Deployment.class, NS, "meshguard");
            generatedContainer = generated.getSpec().getTemplate().getSpec().getContainers().get(0);
        }

        @Test
        void nameAndNamespace() {
            assertThat(generated.getMetadata().getName()).isEqualTo(deployment().getMetadata().getName());
            assertThat(generated.getMetadata().getNamespace()).isEqualTo(deployment().getMetadata().getNamespace());
        }

        @Test
        void image() {
            assertThat(generatedContainer.getImage()).isEqualTo(container().getImage());
        }

        @Test
        void containerPort8443() {
            assertThat(generatedContainer.getPorts()).anySatisfy(p -> {
                assertThat(p.getName()).isEqualTo("https");
                assertThat(p.getContainerPort()).isEqualTo(8443);
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"readiness", "liveness", "startup"})
        void probe(String kind) {
            Function<Container, Probe> probe = switch (kind) {
                case "readiness" -> Container::getReadinessProbe;
                case "liveness" -> Container::getLivenessProbe;
                default -> Container::getStartupProbe;
            };
            Probe ours = probe.apply(container());
            Probe theirs = probe.apply(generatedContainer);
            assertThat(theirs.getHttpGet().getPath()).isEqualTo(ours.getHttpGet().getPath());
            assertThat(theirs.getHttpGet().getScheme()).isEqualTo(ours.getHttpGet().getScheme());
            assertThat(containerPort(theirs.getHttpGet().getPort())).isEqualTo(containerPort(ours.getHttpGet().getPort()));
            assertThat(theirs.getPeriodSeconds()).isEqualTo(ours.getPeriodSeconds());
            assertThat(theirs.getTimeoutSeconds()).isEqualTo(ours.getTimeoutSeconds());
            assertThat(theirs.getFailureThreshold()).isEqualTo(ours.getFailureThreshold());
        }

        @Test
        void serviceAccount() {
            assertThat(generated.getSpec().getTemplate().getSpec().getServiceAccountName())
                    .isEqualTo(pod().getServiceAccountName());
        }

        @Test
        void environment() {
            assertThat(generatedContainer.getEnv()).containsExactlyInAnyOrderElementsOf(container().getEnv());
        }

        @Test
        void replicas() {
            assertThat(generated.getSpec().getReplicas()).isEqualTo(deployment().getSpec().getReplicas());
        }

        @Test
        void volumes() {
            assertThat(generatedContainer.getVolumeMounts()).extracting(VolumeMount::getMountPath)
                    .containsExactlyInAnyOrderElementsOf(container().getVolumeMounts().stream()
                            .map(VolumeMount::getMountPath).toList());
            assertThat(generated.getSpec().getTemplate().getSpec().getVolumes())
                    .filteredOn(v -> v.getSecret() != null).singleElement()
                    .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("meshguard-tls"));
        }

        @Test
        void resources() {
            assertThat(generatedContainer.getResources()).isEqualTo(container().getResources());
        }
    }

    /**
     * The same agreement, checked on application.properties itself, so it holds even before target/kubernetes
     * is (re)generated: quarkus.kubernetes.* must name what k8s/ names.
     */
    @Nested
    class QuarkusKubernetesSettings {

        final Properties properties = load();

        Properties load() {
            try {
                Properties loaded = new Properties();
                loaded.load(new StringReader(Files.readString(Path.of("src/main/resources/application.properties"))));
                return loaded;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        String projectVersion() throws IOException {
            String pom = Files.readString(Path.of("pom.xml"));
            Matcher matcher = Pattern.compile("</modelVersion>.*?<version>([^<]+)</version>", Pattern.DOTALL)
                    .matcher(pom);
            assertThat(matcher.find()).isTrue();
            return matcher.group(1);
        }

        @Test
        void nameNamespaceAndServiceAccount() {
            assertThat(properties.getProperty("quarkus.kubernetes.name")).isEqualTo(deployment().getMetadata().getName());
            assertThat(properties.getProperty("quarkus.kubernetes.namespace"))
                    .isEqualTo(deployment().getMetadata().getNamespace());
            assertThat(properties.getProperty("quarkus.kubernetes.service-account")).isEqualTo(pod().getServiceAccountName());
        }

        @Test
        void image() throws IOException {
            String image = properties.getProperty("quarkus.container-image.registry") + "/"
                    + properties.getProperty("quarkus.container-image.group") + "/"
                    + properties.getProperty("quarkus.container-image.name") + ":" + projectVersion();
            assertThat(image).isEqualTo(container().getImage());
        }

        @Test
        void port() {
            assertThat(properties.getProperty("quarkus.kubernetes.ports.https.container-port")).isEqualTo("8443");
            assertThat(properties.getProperty("quarkus.http.ssl-port")).isEqualTo("8443");
        }

        @ParameterizedTest
        @ValueSource(strings = {"readiness", "liveness", "startup"})
        void probeScheme(String kind) {
            assertThat(properties.getProperty("quarkus.kubernetes." + kind + "-probe.http-action-scheme"))
                    .isEqualTo("HTTPS");
            assertThat(properties.getProperty("quarkus.kubernetes." + kind + "-probe.http-action-port-name"))
                    .isEqualTo("https");
        }

        @Test
        void environment() {
            Map<String, String> fromProperties = properties.stringPropertyNames().stream()
                    .filter(k -> k.startsWith("quarkus.kubernetes.env.vars."))
                    .collect(Collectors.toMap(
                            k -> k.substring("quarkus.kubernetes.env.vars.".length()).toUpperCase(java.util.Locale.ROOT)
                                    .replace('-', '_'),
                            properties::getProperty));
            Map<String, String> fromK8s = container().getEnv().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertThat(fromProperties).isEqualTo(fromK8s);
        }
    }
}
