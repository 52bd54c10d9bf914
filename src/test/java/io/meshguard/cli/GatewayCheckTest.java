package io.meshguard.cli;

import static io.meshguard.cli.CheckRuns.exits;
import static io.meshguard.cli.CheckRuns.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshguard.cli.CheckRuns.Case;
import io.meshguard.cli.CheckRuns.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code meshguard check} over Gateways and VirtualServices, as a table of command lines: the files in, the exit
 * status, and what stdout (findings) and stderr (diagnostics) say. Inputs are under
 * {@code src/test/resources/check}; {@code TMP/} in an argument is a folder of files the case writes first. The
 * decisions are the webhook's (its Gateway and VirtualService routes); the cases come from seed 002 and the
 * fixtures under {@code fixtures/gateway/}, which name their Istio sources.
 */
class GatewayCheckTest {

    static final String CHECK = "src/test/resources/check/";
    static final String SEED002 = CHECK + "seed002";
    static final String SHOP = CHECK + "gateway/shop-gateway.yaml";
    static final String CANARY = CHECK + "gateway/canary-missing-gateway.yaml";
    static final String CLUSTER002 = CHECK + "cluster/seed002-bookinfo.yaml";

    static final String GATEWAY_API = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: Gateway
            metadata: {name: bookinfo-gateway, namespace: default}
            spec:
              gatewayClassName: istio
              listeners: [{name: http, port: 80, protocol: HTTP}]
            """;

    static final String VS_BEFORE_ITS_GATEWAY = """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: ["*"]
              gateways: [bookinfo-gateway]
              http: [{route: [{destination: {host: reviews}}]}]
            """;

    static Stream<Case> cases() {
        return Stream.of(
                exits(0, "seed 002: the Gateway and the VirtualService bound to it are allowed", "check",
                        "-f", SEED002)
                        .expectNotOut("DENY", "WARN")
                        .expectErr("0 ServiceEntries, 1 Gateway, 1 VirtualService in 1 files: 0 denied, 0 warnings"),
                exits(1, "a second Gateway on the same selector, port 80 and host * is denied naming bookinfo-gateway",
                        "check", "-f", SEED002, "-f", SHOP)
                        .expectOut(SHOP + ":1: DENY shop/shop-gateway [ConflictingGateways] ",
                                "default/bookinfo-gateway keeps the host",
                                "bind your VirtualServices to default/bookinfo-gateway")
                        .expectNotOut("DENY default/", "WARN")
                        .expectErr("2 Gateways, 1 VirtualService in 2 files: 1 denied, 0 warnings"),
                exits(1, "the Gateway order is the cluster's: the cluster's Gateway is older and keeps the host",
                        "check", "--cluster-state", CLUSTER002, "-f", SHOP)
                        .expectOut("DENY shop/shop-gateway [ConflictingGateways]",
                                "default/bookinfo-gateway keeps the host")
                        .expectErr("against 2 in the cluster"),
                exits(0, "a VirtualService bound to a missing Gateway is allowed with a warning", "check",
                        "-f", SEED002, "-f", CANARY)
                        .expectOut(CANARY + ":1: WARN canary/bookinfo-canary [GatewayNotFound] spec.gateways[0] "
                                + "'bookinfo-gateway' is Gateway canary/bookinfo-gateway, which does not exist (IST0101)")
                        .expectNotOut("DENY"),
                exits(3, "the dangling VirtualService exits 3 with --fail-on warning", "check", "--fail-on", "warning",
                        "-f", CANARY)
                        .expectOut("WARN canary/bookinfo-canary [GatewayNotFound]"),
                exits(0, "a VirtualService before its Gateway in file order is not warned about: both are applied",
                        "check", "-f", "TMP/", "-f", SEED002)
                        .file("00-reviews.yaml", VS_BEFORE_ITS_GATEWAY)
                        .expectNotOut("WARN", "DENY")
                        .expectErr("1 Gateway, 2 VirtualServices in 2 files"),
                exits(0, "the same pair over the cluster's is an UPDATE of each, with nothing new", "check",
                        "-o", "json", "--cluster-state", CLUSTER002, "-f", SEED002)
                        .expectNotOut("\"severity\"")
                        .expectErr("against 2 in the cluster", "0 denied, 0 warnings"),
                exits(0, "an UPDATE of a Gateway that already conflicted only warns", "check", "-o", "json",
                        "--cluster-state", CLUSTER002, "--cluster-state", SHOP, "-f", SHOP)
                        .expectOut("\"kind\" : \"Gateway\"", "\"operation\" : \"UPDATE\"", "\"severity\" : \"WARN\"",
                                "Pre-existing conflict, not introduced by this edit")
                        .expectNotOut("\"severity\" : \"DENY\""),
                exits(1, "json names the kind, file and line of a Gateway denial", "check", "-o", "json",
                        "-f", SEED002, "-f", SHOP)
                        .expectOut("\"file\" : \"" + SHOP + "\"", "\"line\" : 1", "\"kind\" : \"Gateway\"",
                                "\"namespace\" : \"shop\"", "\"code\" : \"ConflictingGateways\"",
                                "\"other\" : \"default/bookinfo-gateway\""),
                exits(1, "sarif locates the denial and the warning by file and line", "check", "-o", "sarif",
                        "-f", SEED002, "-f", SHOP, "-f", CANARY)
                        .expectOut("\"ruleId\" : \"ConflictingGateways\"", "\"ruleId\" : \"GatewayNotFound\"",
                                "\"uri\" : \"" + SHOP + "\"", "\"uri\" : \"" + CANARY + "\"", "\"startLine\" : 1",
                                "Gateway shop/shop-gateway: Gateway shop/shop-gateway server",
                                "VirtualService canary/bookinfo-canary: spec.gateways[0]", "IST0145"),
                exits(1, "junit has one case per Gateway and VirtualService", "check", "-o", "junit",
                        "-f", SEED002, "-f", SHOP)
                        .expectOut("name=\"Gateway default/bookinfo-gateway\"", "name=\"VirtualService default/bookinfo\"",
                                "name=\"Gateway shop/shop-gateway\" classname=\"" + SHOP + ":1\"",
                                "type=\"DENY ConflictingGateways\""),
                exits(0, "a Kubernetes Gateway API Gateway is another kind, skipped", "check", "-f", "TMP/")
                        .file("k8s-gateway.yaml", GATEWAY_API)
                        .expectNotOut("DENY", "WARN")
                        .expectErr("1 objects of other kinds skipped"),
                exits(1, "a Gateway with a field of the wrong shape is denied naming the field", "check", "-f", "TMP/")
                        .file("bad.yaml", "apiVersion: networking.istio.io/v1\nkind: Gateway\n"
                                + "metadata: {name: g, namespace: a}\n"
                                + "spec: {selector: {istio: ingressgateway}, servers: [{port: {number: eighty}}]}\n")
                        .expectOut("bad.yaml:1: DENY a/g [MalformedObject]", "spec.servers[0].port.number"),
                exits(2, "an unreadable Gateway in the cluster state is named by file and line", "check",
                        "--cluster-state", "TMP/", "-f", SHOP)
                        .file("cluster.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1\n"
                                + "  kind: Gateway\n  metadata: {name: g, namespace: a}\n"
                                + "  spec: {servers: [{port: {number: eighty}}]}\n")
                        .expectErr("cluster.yaml:1: items[0]: Gateway a/g: spec.servers[0].port.number must be an integer"),
                exits(2, "a Gateway twice in the cluster state is named", "check",
                        "--cluster-state", CLUSTER002, "--cluster-state", CLUSTER002, "-f", SHOP)
                        .expectErr("Gateway default/bookinfo-gateway is in the cluster state twice"));
    }

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exits_and_reports_as_the_table_says(Case c) throws IOException {
        CheckRuns.assertAsTheTableSays(c, tmp);
    }

    /** The webhook's golden answers to the same objects, posted over HTTPS by GoldenReviewsTest. */
    @Test
    void the_text_says_what_the_webhook_says() throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode denied = json.readTree(Path.of("src/test/resources/reviews/seed002-second-gateway-create.response.json")
                .toFile());
        String denial = denied.path("response").path("status").path("message").asText();
        JsonNode warned = json.readTree(Path.of(
                "src/test/resources/reviews/seed002-virtualservice-missing-gateway-create.response.json").toFile());
        String warning = warned.path("response").path("warnings").get(0).asText();
        assertThat(denial).isNotBlank();
        assertThat(warning).isNotBlank();

        Run run = run("", "check", "-f", SEED002, "-f", SHOP, "-f", CANARY);

        assertThat(run.out().lines().toList()).containsExactly(
                SHOP + ":1: DENY shop/shop-gateway [ConflictingGateways] " + denial,
                CANARY + ":1: WARN canary/bookinfo-canary [GatewayNotFound] " + warning);
    }

    @Test
    void findings_keep_the_order_of_the_files() throws IOException {
        Path file = tmp.resolve("all.yaml");
        Files.writeString(file, Files.readString(Path.of(CANARY)) + "---\n" + Files.readString(Path.of(SHOP))
                + "---\n" + Files.readString(Path.of(SEED002, "bookinfo-gateway.yaml")));
        Run run = run("", "check", "-f", file.toString());
        assertThat(run.status()).isEqualTo(CheckCommand.DENIED);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).as("shop-gateway comes first here and keeps the host; bookinfo-gateway is denied, so the"
                + " VirtualService bound to it finds no Gateway").hasSize(3);
        assertThat(lines.get(0)).startsWith(file + ":1: WARN canary/bookinfo-canary [GatewayNotFound]");
        assertThat(lines.get(1)).startsWith(file + ":37: DENY default/bookinfo-gateway [ConflictingGateways]")
                .contains("shop/shop-gateway keeps the host");
        assertThat(lines.get(2)).startsWith(file + ":55: WARN default/bookinfo [GatewayNotFound]");
    }
}
