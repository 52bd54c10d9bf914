package io.meshguard.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''                               | 0.0.0.0",
        "1.2.3.4                          | 1.2.3.4",
        "1.2.3.4/32                       | 1.2.3.4",
        "10.1.2.3/16                      | 0.0.0.0[10.1.0.0/16]",
        "10.1.2.3/16 10.1.0.0/16          | 0.0.0.0[10.1.0.0/16]",
        "192.168.0.0/16 10.0.0.0/8        | 0.0.0.0[10.0.0.0/8,192.168.0.0/16]",
        "1.2.3.4 10.0.0.0/8               | 1.2.3.4 0.0.0.0[10.0.0.0/8]",
        "0.0.0.0/0                        | 0.0.0.0[0.0.0.0/0]",
        "2001:db8::1                      | 2001:db8:0:0:0:0:0:1",
        "2001:0DB8:0:0:0:0:0:1/128        | 2001:db8:0:0:0:0:0:1",
        "2001:db8:abcd::/32               | 0.0.0.0[2001:db8:0:0:0:0:0:0/32]",
        "256.1.1.1                        | 256.1.1.1",
        "1.2.3                            | 1.2.3",
        "1.2.3.4.5                        | 1.2.3.4.5",
        "1.2.3.4/33                       | 1.2.3.4/33",
        "1.2.3.4/x                        | 1.2.3.4/x",
        "Not-An-IP                        | not-an-ip",
        "1111.2.3.4                       | 1111.2.3.4",
        "::g                              | ::g",
    })
    void bind_keys_of_addresses(String addresses, String expected) {
        List<String> input = addresses.isEmpty() ? List.of() : Arrays.asList(addresses.split(" "));
        assertThat(Addresses.bindKeys(input).stream().map(BindKey::toString).toList())
                .isEqualTo(Arrays.asList(expected.split(" ")));
    }
}
