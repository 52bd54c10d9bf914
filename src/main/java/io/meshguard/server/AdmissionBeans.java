package io.meshguard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.CompanionPlanMutator;
import io.meshguard.admission.DecisionPolicy;
import io.meshguard.admission.GatewayIndexValidator;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.IstiodValidationValidator;
import io.meshguard.admission.KindRoute;
import io.meshguard.admission.MeasuredWebhook;
import io.meshguard.admission.PolicyWebhook;
import io.meshguard.admission.ReadinessGate;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.admission.VirtualServiceBindingValidator;
import io.meshguard.admission.Webhook;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.index.GatewayIndex;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.index.VirtualServiceIndex;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.rules.ServiceEntryReview;
import io.meshguard.rules.gateway.GatewayReview;
import io.meshguard.rules.gateway.VirtualServiceReview;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.List;

/** Wires the pure admission core to the configuration: the routes, the two webhooks and their decorators. */
@ApplicationScoped
public class AdmissionBeans {

    static final String INDEX_NOT_READY = "meshguard has not finished listing the cluster's ServiceEntries, Gateways "
            + "and VirtualServices; "
            + "the webhook's failurePolicy decides";
    static final String COMPANIONS_NOT_READY = "meshguard has not finished listing the cluster's ServiceEntries "
            + "and VirtualServices; the webhook's failurePolicy decides";

    @Produces
    @Singleton
    RunMode runMode(MeshguardConfig config) {
        return RunMode.resolve(config.mode(), System.getenv());
    }

    @Produces
    @Singleton
    ServiceEntryIndex serviceEntryIndex(MeshguardConfig config, RunMode mode) {
        ServiceEntryIndex index = new ServiceEntryIndex(System::currentTimeMillis, config.reservationTtl().toMillis());
        if (mode == RunMode.STANDALONE) {
            index.setMesh(new MeshConfig(config.standalone().defaultServiceExportTo().orElse(List.of()),
                    config.standalone().dnsCapture()));
        }
        return index;
    }

    @Produces
    @Singleton
    @DefaultBean
    ServiceEntryReview serviceEntryReview(CompanionSettings companions) {
        return ServiceEntryReview.standard(companions.egress());
    }

    @Produces
    @Singleton
    CompanionSettings companionSettings(MeshguardConfig config) {
        return CompanionConfiguration.settings(config);
    }

    @Produces
    @Singleton
    VirtualServiceIndex virtualServiceIndex() {
        return new VirtualServiceIndex();
    }

    @Produces
    @Singleton
    GatewayIndex gatewayIndex(MeshguardConfig config) {
        return new GatewayIndex(System::currentTimeMillis, config.reservationTtl().toMillis());
    }

    @Produces
    @Singleton
    AdmissionReviewCodec admissionReviewCodec(ObjectMapper mapper) {
        return new AdmissionReviewCodec(mapper);
    }

    /**
     * What the answer makes of a decision (an enforcement mode): as decided, unless another bean of this type is
     * produced. The pipeline, the index validator and the {@code /validate} decorator all use this one.
     */
    @Produces
    @Singleton
    @DefaultBean
    DecisionPolicy decisionPolicy() {
        return DecisionPolicy.AS_DECIDED;
    }

    /**
     * One route per kind. A kind is added with one more element; a validator or mutator with one more call on its
     * route. Validators without side effects go before the one that records in the index: istiod's own validation
     * of a ServiceEntry (its errors deny, so what istiod refuses is never recorded) before the listener review. The
     * analyzers read the mesh config the index holds. Both webhooks share
     * these routes: /validate runs their validators, /mutate their mutators.
     */
    @Produces
    @Singleton
    Routes routes(ServiceEntryIndex index, ServiceEntryReview review, RunMode mode,
            CompanionSettings companions, VirtualServiceIndex virtualServices, DecisionPolicy policy,
            GatewayIndex gateways) {
        ServiceEntryIndexValidator.Learning learning = mode == RunMode.STANDALONE
                ? ServiceEntryIndexValidator.Learning.LEARN
                : ServiceEntryIndexValidator.Learning.RESERVE;
        return new Routes(List.of(
                IstioNetworking.serviceEntries(System::currentTimeMillis)
                        .validator(IstiodValidationValidator.over(index))
                        .validator(new ServiceEntryIndexValidator(index, review, learning, policy))
                        .mutator(new CompanionPlanMutator(new CompanionPlanner(companions), virtualServices::all,
                                index::mesh))
                        .build(),
                IstioNetworking.gateways(System::currentTimeMillis)
                        .validator(new GatewayIndexValidator(gateways, GatewayReview.standard(), learning, policy))
                        .build(),
                IstioNetworking.virtualServiceBindings(System::currentTimeMillis)
                        .validator(new VirtualServiceBindingValidator(gateways, new VirtualServiceReview(),
                                learning))
                        .build()));
    }

    /** The routes of both webhooks (a CDI bean type cannot be a list of a wildcard type). */
    record Routes(List<KindRoute<?>> all) {
    }

    /** {@code /validate}: measured; refused until the index is ready; the decision policy; the pipeline. */
    @Produces
    @Singleton
    @Named("validate")
    Webhook validatingWebhook(AdmissionReviewCodec codec, Routes routes, AdmissionMetrics metrics,
            ClusterFeedLifecycle feed, DecisionPolicy policy, GatewayFeedLifecycle gateways) {
        Webhook pipeline = AdmissionPipeline.validating(codec, routes.all(), policy);
        return new MeasuredWebhook("validate", metrics, new ReadinessGate(() -> feed.ready() && gateways.ready(),
                INDEX_NOT_READY, new PolicyWebhook(policy, pipeline)));
    }

    /** {@code /mutate}: as {@code /validate}, and also refused until the VirtualServices are listed. */
    @Produces
    @Singleton
    @Named("mutate")
    Webhook mutatingWebhook(AdmissionReviewCodec codec, Routes routes, AdmissionMetrics metrics,
            ClusterFeedLifecycle feed, CompanionsLifecycle companions) {
        Webhook pipeline = AdmissionPipeline.mutating(codec, routes.all());
        return new MeasuredWebhook("mutate", metrics,
                new ReadinessGate(() -> feed.ready() && companions.ready(), COMPANIONS_NOT_READY, pipeline));
    }
}
