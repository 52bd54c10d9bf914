package io.meshguard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.MutatingAdmission;
import io.meshguard.admission.ValidatingAdmission;
import io.meshguard.companions.CompanionPlanner;
import io.meshguard.companions.CompanionSettings;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.index.VirtualServiceIndex;
import io.meshguard.mesh.MeshConfig;
import io.meshguard.rules.ServiceEntryReview;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** Wires the pure admission core to the configuration. */
@ApplicationScoped
public class AdmissionBeans {

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
    MutatingAdmission mutatingAdmission(CompanionSettings companions, VirtualServiceIndex virtualServices,
            ServiceEntryIndex index) {
        return new MutatingAdmission(new CompanionPlanner(companions), virtualServices::all, index::mesh);
    }

    @Produces
    @Singleton
    ValidatingAdmission validatingAdmission(ServiceEntryIndex index, ServiceEntryReview review, RunMode mode,
            EnforcementDecorator enforcement) {
        return new ValidatingAdmission(index, review,
                mode == RunMode.STANDALONE ? ValidatingAdmission.Learning.LEARN : ValidatingAdmission.Learning.RESERVE,
                System::currentTimeMillis, enforcement::apply);
    }

    @Produces
    @Singleton
    AdmissionReviewCodec admissionReviewCodec(ObjectMapper mapper) {
        return new AdmissionReviewCodec(mapper);
    }
}
