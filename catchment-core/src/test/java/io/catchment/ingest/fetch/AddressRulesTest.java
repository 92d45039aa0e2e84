package io.catchment.ingest.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Literals only: {@link InetAddress#getByName} parses them without any DNS. */
class AddressRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
        "192.168.0.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255", "0.0.0.0",
        "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "fe80::1", "febf::1", "fec0::1", "fc00::1", "fd00:ec2::254", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::10.0.0.1", "::8.8.8.8",
        "64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1", "2002:7f00:1::"})
    void internal(String literal) throws UnknownHostException {
        assertThat(AddressRules.whyInternal(InetAddress.getByName(literal))).as(literal).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "93.184.215.14", "1.1.1.1", "172.15.255.255", "172.32.0.1", "192.169.0.1",
        "169.253.255.255", "100.63.255.255", "100.128.0.1", "11.0.0.1", "223.255.255.255",
        "2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::8.8.8.8", "2002:808:808::1",
        "::ffff:8.8.8.8"})
    void external(String literal) throws UnknownHostException {
        assertThat(AddressRules.whyInternal(InetAddress.getByName(literal))).as(literal).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "192.168.1.1", "172.20.0.1"})
    void privateRangesAreCalledPrivate(String literal) throws UnknownHostException {
        assertThat(AddressRules.whyInternal(InetAddress.getByName(literal))).contains("private");
    }

    @ParameterizedTest
    @ValueSource(strings = {"::ffff:10.0.0.5"})
    void mappedFormsNameTheEmbeddedAddress(String literal) throws UnknownHostException {
        // The JDK turns IPv4-mapped literals into IPv4 addresses; build the raw 16-byte form too.
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName("10.0.0.5").getAddress(), 0, mapped, 12, 4);
        InetAddress raw = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertThat(AddressRules.whyInternal(raw)).hasValueSatisfying(why -> assertThat(why).startsWith("private"));
        assertThat(AddressRules.whyInternal(InetAddress.getByName(literal))).contains("private");
    }
}
