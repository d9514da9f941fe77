package gateway.proxy.pac;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.Cidr;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The PAC file, pinned as text (format v1): browsers run it, so any change must be deliberate. */
class ProxyPacTest {

  @Test
  void goldenScriptForAnOfficeLan() {
    String pac =
        ProxyPac.script(
            new InetSocketAddress("192.168.88.1", 3128),
            List.of(
                Cidr.parse("192.168.88.0/24"),
                Cidr.parse("198.18.0.0/15"),
                Cidr.parse("fd00::/64")),
            false);

    assertThat(pac)
        .isEqualTo(
            """
        // gateway proxy auto-config v1
        function FindProxyForURL(url, host) {
          if (isPlainHostName(host) || host == "localhost" || dnsDomainIs(host, ".local")) return "DIRECT";
          if (/^\\d+\\.\\d+\\.\\d+\\.\\d+$/.test(host)) {
            if (isInNet(host, "127.0.0.0", "255.0.0.0")
                || isInNet(host, "169.254.0.0", "255.255.0.0")
                || isInNet(host, "10.0.0.0", "255.0.0.0")
                || isInNet(host, "172.16.0.0", "255.240.0.0")
                || isInNet(host, "192.168.0.0", "255.255.0.0")
                || isInNet(host, "198.18.0.0", "255.254.0.0")) return "DIRECT";
          }
          if (host.indexOf(":") >= 0 && /^(::1$|f[cd]|fe[89ab])/i.test(host)) return "DIRECT";
          return "PROXY 192.168.88.1:3128";
        }
        """);
  }

  @Test
  void directFallbackLetsBrowsersGoStraightOutWhileTheGatewayIsDown() {
    assertThat(ProxyPac.script(new InetSocketAddress("192.168.88.1", 3128), List.of(), true))
        .contains("return \"PROXY 192.168.88.1:3128; DIRECT\";");
  }

  @Test
  void anIpv6ProxyAddressIsBracketed() {
    assertThat(ProxyPac.script(new InetSocketAddress("fd00::1", 3128), List.of(), false))
        .contains("return \"PROXY [fd00:0:0:0:0:0:0:1]:3128\";");
  }

  @Test
  void onlyTheTwoWellKnownPathsAreThePacFile() {
    assertThat(ProxyPac.isPacPath("/proxy.pac")).isTrue();
    assertThat(ProxyPac.isPacPath("/wpad.dat")).isTrue();
    assertThat(ProxyPac.isPacPath("/proxy.pac.bak")).isFalse();
    assertThat(ProxyPac.isPacPath("/")).isFalse();
  }
}
