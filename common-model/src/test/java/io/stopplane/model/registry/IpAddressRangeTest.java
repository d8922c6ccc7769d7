package io.stopplane.model.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressRangeTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.1.2.3, true",
        "10.0.0.0/8, 11.0.0.1, false",
        "10.9.9.9/8, 10.200.0.1, true", // host bits in the block are ignored
        "192.168.1.7, 192.168.1.7, true",
        "192.168.1.7, 192.168.1.8, false",
        "0.0.0.0/0, 203.0.113.9, true",
        "0.0.0.0/0, 2001:db8::1, false", // another family is never inside
        "2001:db8::/32, 2001:db8:ffff::1, true",
        "2001:db8::/32, 2001:db9::1, false",
        "::1, ::1, true",
        "::/0, fe80::1, true",
        "10.0.0.0/8, ::ffff:10.0.0.1, true", // IPv4-mapped is the IPv4 address
        "10.0.0.0/8, [::ffff:10.0.0.1], true",
        "10.0.0.0/31, 10.0.0.1, true",
        "10.0.0.0/32, 10.0.0.1, false",
        "10.0.0.0/8, not-an-address, false",
        "10.0.0.0/8, '', false",
    })
    void contains(String range, String address, boolean inside) {
        assertThat(IpAddressRange.parse(range)).get().satisfies(r -> assertThat(r.contains(address)).isEqualTo(inside));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "10.0.0.0/33", "10.0.0/8", "256.0.0.1", "10.0.0.1/", "10.0.0.1/-1",
        "10.0.0.1/8/8", "2001:db8::/129", "localhost", "example.com", "fe80::1%eth0", "1.2.3.4/abc", "01.2.3.4"})
    void refusesWhatIsNotALiteralRange(String text) {
        assertThat(IpAddressRange.isValid(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0/0", "10.0.0.0/8", "203.0.113.7", "::/0", "2001:db8::/48", "::1",
        " 10.0.0.0/8 "})
    void acceptsRanges(String text) {
        assertThat(IpAddressRange.isValid(text)).isTrue();
    }

    @org.junit.jupiter.api.Test
    void nullIsNoRange() {
        assertThat(IpAddressRange.isValid(null)).isFalse();
        assertThat(IpAddressRange.parse("10.0.0.0/8").orElseThrow().contains(null)).isFalse();
    }
}
