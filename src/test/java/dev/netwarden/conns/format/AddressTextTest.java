package dev.netwarden.conns.format;

import static dev.netwarden.conns.Sockets.addr;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTextTest {

    @ParameterizedTest
    @CsvSource({
            "127.0.0.1, 127.0.0.1",
            "0.0.0.0, 0.0.0.0",
            "0:0:0:0:0:0:0:0, ::",
            "0:0:0:0:0:0:0:1, ::1",
            "fe80:0:0:0:0:0:0:1, fe80::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "2001:DB8:AA:0:0:0:0:0, 2001:db8:aa::",
            "::ffff:10.1.2.3, ::ffff:10.1.2.3",
            "::1.2.3.4, ::102:304",
    })
    void rfc5952(String in, String expected) {
        assertThat(AddressText.toText(addr(in))).isEqualTo(expected);
    }
}
