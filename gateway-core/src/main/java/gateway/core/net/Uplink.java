package gateway.core.net;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One ISP uplink as the rest of the gateway sees it: a name (used in logs, pins, the status page
 * and as the selection key), the source address upstream sockets bind to, the device they may bind
 * to, a weight (share of new flows relative to the other uplinks of its tier) and a tier (1 =
 * primary; higher tiers are used only while no uplink of a lower tier is available).
 *
 * @param weight at least 1
 * @param tier at least 1
 */
public record Uplink(
    String name, InetAddress address, Optional<String> interfaceName, int weight, int tier) {

  public Uplink {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(interfaceName, "interfaceName");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("uplink name is empty");
    }
    if (weight < 1) {
      throw new IllegalArgumentException(
          "uplink " + name + ": weight " + weight + " must be at least 1");
    }
    if (tier < 1) {
      throw new IllegalArgumentException(
          "uplink " + name + ": tier " + tier + " must be at least 1");
    }
  }

  @Override
  public String toString() {
    return name
        + "("
        + address.getHostAddress()
        + interfaceName.map(i -> " dev " + i).orElse("")
        + ", weight "
        + weight
        + ", tier "
        + tier
        + ")";
  }
}
