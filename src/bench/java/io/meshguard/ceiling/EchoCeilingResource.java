package io.meshguard.ceiling;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;

/**
 * The load harness's ceiling: the same server, TLS, HTTP/1.1 stack and body handling as {@code POST /validate}
 * (a {@code byte[]} body on the same kind of thread), answering a fixed allow without looking at the body.
 * Built only with {@code mvn -Pbench}; the normal build does not contain it (EchoEndpointAbsentTest).
 */
@Path("/bench")
public class EchoCeilingResource {

    private static final byte[] ALLOW = ("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
            + "\"response\":{\"uid\":\"00000000-0000-0000-0000-000000000000\",\"allowed\":true}}")
            .getBytes(StandardCharsets.UTF_8);

    @POST
    @Path("echo")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] echo(byte[] body) {
        return ALLOW;
    }
}
