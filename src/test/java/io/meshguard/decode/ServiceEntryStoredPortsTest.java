package io.meshguard.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshguard.mesh.ServicePort;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A stored ServiceEntry keeps what istiod's decoding keeps: {@code ServicePort.number} is a uint32, so a number out
 * of range decodes (and meshguard leaves that port out), while a value of the wrong type fails the whole object.
 * Under review, both are errors, as in istiod's {@code ValidateServiceEntry}.
 */
class ServiceEntryStoredPortsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "in range            | {'number':443,'protocol':'TLS'}   | 443",
            "float form          | {'number':443.0,'protocol':'TLS'} | 443",
            "zero                | {'number':0,'protocol':'TLS'}     |",
            "above 65535         | {'number':70000,'protocol':'TLS'} |",
            "number missing      | {'protocol':'TLS'}                |",
    })
    void a_stored_entry_keeps_the_ports_in_range(String label, String port, String kept) {
        var facts = ServiceEntryReader.readStored(entry(port), null, 0);
        assertThat(facts.ports().stream().map(ServicePort::number).map(String::valueOf).toList())
                .as(label).containsExactlyElementsOf(kept == null ? List.of() : List.of(kept));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "a string            | {'number':'not-a-number'}  | must be an integer",
            "a fraction          | {'number':443.5}           | must be an integer",
            "not an object       | 443                        | is not an object",
    })
    void a_stored_entry_with_a_port_of_the_wrong_type_is_unreadable(String label, String port, String message) {
        assertThatThrownBy(() -> ServiceEntryReader.readStored(entry(port), null, 0))
                .as(label).isInstanceOf(MalformedObjectException.class).hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "zero                | {'number':0}      | between 1 and 65535",
            "number missing      | {'protocol':'TLS'} | must be an integer",
    })
    void under_review_an_out_of_range_port_is_an_error(String label, String port, String message) {
        assertThatThrownBy(() -> ServiceEntryReader.read(entry(port), null, 0))
                .as(label).isInstanceOf(MalformedObjectException.class).hasMessageContaining(message);
    }

    private static JsonNode entry(String port) {
        return GatewayReaderTest.json("{'metadata':{'name':'e','namespace':'ns'},"
                + "'spec':{'hosts':['a.example.com'],'ports':[" + port + "]}}");
    }
}
