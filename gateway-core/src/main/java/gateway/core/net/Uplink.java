package gateway.core.net;

import gateway.core.config.UplinkConfig;
import java.net.InetAddress;
import java.util.Optional;

/** One way out to the internet: a source address (and maybe a device) that upstream sockets bind to. */
public record Uplink(
    String name, InetAddress address, Optional<String> interfaceName, int weight, int tier) {

  public static Uplink of(UplinkConfig c) {
    return new Uplink(c.name(), c.address(), c.interfaceName(), c.weight(), c.tier());
  }
}
