package io.meshguard.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.admission.AdmissionRequestView;
import io.meshguard.admission.AdmissionReviewCodec;
import io.meshguard.admission.AdmissionPipeline;
import io.meshguard.admission.IstioNetworking;
import io.meshguard.admission.ServiceEntryIndexValidator;
import io.meshguard.decode.ManifestLoader;
import io.meshguard.index.ServiceEntryIndex;
import io.meshguard.mesh.ServiceEntryFacts;
import io.meshguard.rules.Decision;
import io.meshguard.rules.ServiceEntryReview;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator's promises: its entries load cleanly, never collide, and each review decides as its kind says. */
class GeneratedClusterTest {

    static final long NOW = 1_767_225_600_000L;

    @Test
    void entries_load_without_problems_and_none_collides_with_another(@TempDir Path dir) throws IOException {
        SyntheticCluster cluster = new SyntheticCluster(3000, 7);
        assertThat(GenerateEntries.writeEntries(cluster, dir)).isEqualTo(3);

        ManifestLoader.Result loaded = new ManifestLoader().load(dir, NOW);
        assertThat(loaded.problems()).isEmpty();
        assertThat(loaded.entries()).hasSize(3000);
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        loaded.entries().forEach(index::confirm);

        ServiceEntryReview review = ServiceEntryReview.standard();
        for (ServiceEntryFacts entry : loaded.entries()) {
            Decision decision = index.atomically(snapshot -> review.review(entry, null, snapshot));
            assertThat(decision.denials()).as("%s against all the others", entry.key()).isEmpty();
        }
        Map<SyntheticCluster.Shape, Integer> shapes = new EnumMap<>(SyntheticCluster.Shape.class);
        cluster.entries().forEach(e -> shapes.merge(e.shape(), 1, Integer::sum));
        assertThat(shapes).as("every shape is represented").hasSize(SyntheticCluster.Shape.values().length);
        assertThat(cluster.entries().stream().filter(e -> e.address() != null)).as("addresses on some").isNotEmpty();
    }

    @Test
    void each_review_decides_as_its_kind_says_and_the_index_ends_as_it_began(@TempDir Path dir) throws IOException {
        SyntheticCluster cluster = new SyntheticCluster(2000, 3);
        GenerateEntries.writeEntries(cluster, dir);
        ServiceEntryIndex index = new ServiceEntryIndex(() -> NOW, 30_000);
        new ManifestLoader().load(dir, NOW).entries().forEach(index::confirm);
        AdmissionReviewCodec codec = new AdmissionReviewCodec(new ObjectMapper());
        AdmissionPipeline admission = AdmissionPipeline.validating(codec, java.util.List.of(
                IstioNetworking.serviceEntries(() -> NOW)
                        .validator(new ServiceEntryIndexValidator(index, ServiceEntryReview.standard(),
                                ServiceEntryIndexValidator.Learning.LEARN))
                        .build()));

        List<SyntheticCluster.Review> reviews = cluster.reviews(400, 4);
        for (int round = 0; round < 2; round++) {
            for (SyntheticCluster.Review r : reviews) {
                AdmissionRequestView request = codec.read(SyntheticCluster.bytes(r.body()));
                Decision decision = admission.review(request).decision();
                String what = r.kind() + " " + request.namespace() + "/" + request.name();
                switch (r.kind()) {
                    case ALLOWED -> assertThat(decision.allowed() && decision.warnings().isEmpty()).as(what).isTrue();
                    case DENIED -> assertThat(decision.allowed()).as(what).isFalse();
                    case WARNED -> assertThat(decision.allowed() && !decision.warnings().isEmpty()).as(what).isTrue();
                    case UPDATE -> assertThat(decision.allowed()).as(what).isTrue();
                }
                assertThat(request.uid()).isEqualTo(r.uid());
            }
            assertThat(index.size()).as("dry runs and same-name UPDATEs leave the index as it was").isEqualTo(2000);
        }
    }

    @Test
    void the_same_seed_writes_the_same_files(@TempDir Path dir) throws IOException {
        GenerateEntries.writeEntries(new SyntheticCluster(1500, 11), dir.resolve("a"));
        GenerateEntries.writeEntries(new SyntheticCluster(1500, 11), dir.resolve("b"));
        GenerateEntries.writeEntries(new SyntheticCluster(1500, 12), dir.resolve("c"));
        for (String file : List.of("entries-00000.yaml", "entries-00001.yaml")) {
            assertThat(Files.readString(dir.resolve("a").resolve(file)))
                    .isEqualTo(Files.readString(dir.resolve("b").resolve(file)))
                    .isNotEqualTo(Files.readString(dir.resolve("c").resolve(file)));
        }
    }
}
