package io.meshguard.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The load harness's echo endpoint exists only in the bench profile's build (mvn -Pbench), never in this one. */
@QuarkusTest
class EchoEndpointAbsentTest {

    @Test
    void bench_echo_is_not_served() {
        Https.review(Reviews.tcpEntry("echo", "bench", "echo", 31999)).post("/bench/echo").then().statusCode(404);
    }

    @Test
    void the_echo_class_is_not_on_the_classpath() {
        assertThatThrownBy(() -> Class.forName("io.meshguard.ceiling.EchoCeilingResource"))
                .isInstanceOf(ClassNotFoundException.class);
    }
}
