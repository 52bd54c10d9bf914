package io.meshguard.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address parsing, including text the hand-written IPv4 reader must refuse, and the bind keys it gives. */
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

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.1          | 10.0.0.1      | 32  | true",
        "010.000.0.1       | 10.0.0.1      | 32  | true",
        "10.0.0.1/32       | 10.0.0.1      | 32  | true",
        "10.1.2.3/24       | 10.1.2.0      | 24  | false",
        "10.0.0.0/0        | 0.0.0.0       | 0   | false",
        "255.255.255.255   | 255.255.255.255 | 32 | true",
        "10.0.0.256        | 10.0.0.256    | -1  | true",
        "1.2.3             | 1.2.3         | -1  | true",
        "1..2.3            | 1..2.3        | -1  | true",
        "1.2.3.4.          | 1.2.3.4.      | -1  | true",
        "1234.1.1.1        | 1234.1.1.1    | -1  | true",
        "10.0.0.0/33       | 10.0.0.0/33   | -1  | true",
        "10.0.0.0/abc      | 10.0.0.0/abc  | -1  | true",
        "2001:DB8::1/128   | 2001:db8:0:0:0:0:0:1 | 128 | true",
        "2001:db8::/32     | 2001:db8:0:0:0:0:0:0 | 32 | false",
        "1:2:3:4:5:6:7:8:9 | 1:2:3:4:5:6:7:8:9 | -1 | true",
        "１０.0.0.1         | １０.0.0.1     | -1  | true",
    })
    void parses_ips_and_cidrs_and_keeps_anything_else_as_text(String text, String ip, int prefix, boolean hostWide) {
        Addresses.Parsed parsed = Addresses.parse(text);
        assertThat(parsed).isEqualTo(new Addresses.Parsed(ip, prefix, hostWide));
    }
}
