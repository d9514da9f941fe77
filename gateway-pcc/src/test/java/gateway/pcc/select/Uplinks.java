package gateway.pcc.select;

import gateway.core.net.FlowKey;
import gateway.core.net.Uplink;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Random;

/** Small builders for selector tests. */
final class Uplinks {

  private Uplinks() {}

  static Uplink uplink(String name, int weight) {
    return uplink(name, weight, 1);
  }

  static Uplink uplink(String name, int weight, int tier) {
    // Addresses only in 198.18.0.0/15, as in the testbed.
    int n = Math.floorMod(name.hashCode(), 250) + 1;
    return new Uplink(name, address("198.18." + n + ".2"), Optional.empty(), weight, tier);
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static FlowKey flow(String src, int srcPort, String dst, int dstPort) {
    return new FlowKey(address(src), srcPort, address(dst), dstPort);
  }

  /** A random IPv4 LAN client talking to a random IPv4 origin. */
  static FlowKey randomFlow(Random random) {
    byte[] src = {(byte) 192, (byte) 168, 88, (byte) random.nextInt(256)};
    byte[] dst = new byte[4];
    random.nextBytes(dst);
    try {
      return new FlowKey(
          InetAddress.getByAddress(src),
          1024 + random.nextInt(64512),
          InetAddress.getByAddress(dst),
          random.nextBoolean() ? 443 : 80);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
