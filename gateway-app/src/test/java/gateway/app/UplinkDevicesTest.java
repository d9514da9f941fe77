package gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gateway.core.config.ConfigLoader;
import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Uplink;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A socket is never silently sent out of another interface than the one configured. */
class UplinkDevicesTest {
  static GatewayConfig config(String device, boolean optional) throws Exception {
    return ConfigLoader.parse(
        """
        uplinks = [
          { name = isp1, address = "127.0.0.2", interface = %s, interface-optional = %s }
          { name = isp2, address = "127.0.0.3" }
        ]
        """
            .formatted(device, optional),
        "test.conf");
  }

  static List<Uplink> uplinks(GatewayConfig c) {
    return c.uplinks().stream().map(UplinkConfig::uplink).toList();
  }

  @Test
  void anInterfaceThatCannotBeBoundStopsStartUpWithTheReason() throws Exception {
    GatewayConfig c = config("nosuchif0", false);

    assertThatThrownBy(() -> UplinkDevices.verify(uplinks(c), c))
        .hasMessageContaining("uplink isp1")
        .hasMessageContaining("nosuchif0")
        .hasMessageContaining("interface-optional");
  }

  @Test
  void withInterfaceOptionalTheUplinkIsBoundBySourceAddressOnly() throws Exception {
    GatewayConfig c = config("nosuchif0", true);

    List<Uplink> verified = UplinkDevices.verify(uplinks(c), c);

    assertThat(verified.get(0).interfaceName()).isEmpty();
    assertThat(verified.get(0).address().getHostAddress()).isEqualTo("127.0.0.2");
    assertThat(verified.get(1)).isEqualTo(uplinks(c).get(1));
  }

  @Test
  void aBindableInterfaceIsKept() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "SO_BINDTODEVICE needs CAP_NET_RAW");
    GatewayConfig c = config("lo", false);

    assertThat(UplinkDevices.verify(uplinks(c), c).get(0).interfaceName()).hasValue("lo");
  }
}
