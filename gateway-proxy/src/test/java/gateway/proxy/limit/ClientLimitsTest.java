package gateway.proxy.limit;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.ConfigLoader;
import gateway.core.config.GatewayConfig;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which limits apply to a client address: its first group's in limits.groups, else everyone's. */
class ClientLimitsTest {
  final ClientLimits limits =
      ClientLimits.of(
          config(
              """
      clients.groups = [
        { name = bosses, networks = ["198.18.88.10"] }
        { name = guests, networks = ["198.18.88.0/24"] }
      ]
      uplinks = [
        { name = isp1, address = "198.18.1.2", max-rate = 20Mbit }
        { name = isp2, address = "198.18.2.2" }
        { name = adsl, address = "198.18.3.2", max-upload-rate = 1Mbit }
      ]
      limits {
        client-connections = 100
        client-download = 8Mbit
        client-upload = 2Mbit
        groups = [
          { group = guests, client-connections = 16, client-download = 1Mbit, group-download = 10Mbit }
          { group = bosses, client-download = 0 }
        ]
      }
      """));

  @Test
  void aGroupMemberHasItsGroupsLimitsAndEveryoneElseTheDefaults() throws Exception {
    assertThat(limits.of(ip("198.18.88.50")))
        .isEqualTo(new ClientLimits.Client(16, 125_000, 250_000, "guests", 1_250_000, 0));
    assertThat(limits.of(ip("198.18.99.1")))
        .isEqualTo(new ClientLimits.Client(100, 1_000_000, 250_000, null, 0, 0));
  }

  @Test
  void theFirstEntryOfLimitsGroupsThatHoldsTheClientDecides() throws Exception {
    // 198.18.88.10 is in both groups; limits.groups lists guests first.
    assertThat(limits.of(ip("198.18.88.10")).group()).isEqualTo("guests");
  }

  @Test
  void uplinksWithoutMaxRateAreNotLimited() {
    assertThat(limits.uplinkRate("isp1")).isEqualTo(2_500_000);
    assertThat(limits.uplinkRate("isp2")).isZero();
    assertThat(limits.limitsBandwidth()).isTrue();
    assertThat(ClientLimits.of(ConfigLoader.embeddedDefault()).limitsBandwidth()).isFalse();
  }

  @Test
  void anUplinksUploadIsCappedOnlyByItsOwnMaxUploadRate() {
    assertThat(limits.uplinkUploadRate("adsl")).isEqualTo(125_000);
    assertThat(limits.uplinkRate("adsl")).as("its download is not capped").isZero();
    assertThat(limits.uplinkUploadRate("isp1")).as("max-rate caps downloads only").isZero();
    assertThat(
            ClientLimits.of(
                    config(
                        """
        uplinks = [{ name = adsl, address = "198.18.3.2", max-upload-rate = 1Mbit }]
        """))
                .limitsBandwidth())
        .as("an upload cap alone limits bandwidth")
        .isTrue();
  }

  static GatewayConfig config(String hocon) {
    try {
      return ConfigLoader.parse(hocon, "test.conf");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }
}
