package gateway.pcc.bind;

import gateway.core.net.Uplink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds uplinks when none are configured: one per interface that has an IPv4 default route, named
 * after the interface, bound to the interface's first IPv4 address, weight 1, tier 1. No default
 * route gives an empty list; the caller then runs unbound and says so with a WARN.
 *
 * <p>The parsing is pure ({@link #parseDefaultRoutes(String)}, {@link #uplinks}) and unit-tested
 * with sample {@code /proc} text; {@link #discover()} only reads the real file and interfaces.
 */
public final class DefaultRouteDiscovery {

  private static final Logger log = LoggerFactory.getLogger(DefaultRouteDiscovery.class);

  /** Where Linux shows the main table's IPv4 routes. */
  public static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");

  private static final int RTF_UP = 0x0001;
  private static final int RTF_GATEWAY = 0x0002;
  private static final int RTF_REJECT = 0x0200;

  private DefaultRouteDiscovery() {}

  /**
   * The usable IPv4 default routes (up, not reject, destination and mask 0.0.0.0) of a {@code
   * /proc/net/route} text, one per interface (the lowest metric), ordered by metric then interface.
   * Lines that do not parse are skipped.
   *
   * <p>The file's addresses are the kernel's 32-bit values printed in hex in host byte order, so on
   * a little-endian machine {@code 0101A8C0} is 192.168.1.1.
   */
  public static List<DefaultRoute> parseDefaultRoutes(String procNetRoute) {
    return parseDefaultRoutes(procNetRoute, ByteOrder.nativeOrder());
  }

  static List<DefaultRoute> parseDefaultRoutes(String procNetRoute, ByteOrder hostOrder) {
    Map<String, DefaultRoute> byInterface = new LinkedHashMap<>();
    for (String line : procNetRoute.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 8 || f[0].equals("Iface")) {
        continue;
      }
      try {
        int destination = (int) Long.parseLong(f[1], 16);
        int gateway = (int) Long.parseLong(f[2], 16);
        int flags = Integer.parseInt(f[3], 16);
        int metric = Integer.parseInt(f[6]);
        int mask = (int) Long.parseLong(f[7], 16);
        if (destination != 0 || mask != 0 || (flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0) {
          continue;
        }
        Optional<InetAddress> via =
            (flags & RTF_GATEWAY) != 0 && gateway != 0
                ? Optional.of(ipv4(gateway, hostOrder))
                : Optional.empty();
        DefaultRoute route = new DefaultRoute(f[0], via, metric);
        byInterface.merge(f[0], route, (a, b) -> b.metric() < a.metric() ? b : a);
      } catch (NumberFormatException e) {
        // Not a route line: skip it.
      }
    }
    List<DefaultRoute> routes = new ArrayList<>(byInterface.values());
    routes.sort(
        Comparator.comparingInt(DefaultRoute::metric).thenComparing(DefaultRoute::interfaceName));
    return List.copyOf(routes);
  }

  /**
   * One uplink per default route's interface that has an IPv4 address; an interface without one is
   * skipped with a WARN.
   *
   * @param firstIpv4 the first IPv4 address of an interface, by name
   */
  public static List<Uplink> uplinks(
      List<DefaultRoute> routes, Function<String, Optional<InetAddress>> firstIpv4) {
    List<Uplink> out = new ArrayList<>();
    for (DefaultRoute r : routes) {
      Optional<InetAddress> address = firstIpv4.apply(r.interfaceName());
      if (address.isEmpty()) {
        log.warn(
            "default route via {} skipped: the interface has no IPv4 address", r.interfaceName());
        continue;
      }
      out.add(new Uplink(r.interfaceName(), address.get(), Optional.of(r.interfaceName()), 1, 1));
    }
    return List.copyOf(out);
  }

  /** The pure whole: {@code /proc/net/route} text to uplinks. */
  public static List<Uplink> discover(
      String procNetRoute, Function<String, Optional<InetAddress>> firstIpv4) {
    return uplinks(parseDefaultRoutes(procNetRoute), firstIpv4);
  }

  /**
   * Reads this machine's {@code /proc/net/route} and interfaces. Empty where there is no such file.
   */
  public static List<Uplink> discover() {
    return uplinks(readDefaultRoutes(), DefaultRouteDiscovery::firstIpv4);
  }

  /** This machine's IPv4 default routes; empty where {@code /proc/net/route} does not exist. */
  public static List<DefaultRoute> readDefaultRoutes() {
    try {
      return parseDefaultRoutes(Files.readString(PROC_NET_ROUTE));
    } catch (NoSuchFileException e) {
      log.warn("{} does not exist: no default routes found", PROC_NET_ROUTE);
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + PROC_NET_ROUTE, e);
    }
  }

  /** The first IPv4 address {@link NetworkInterface} lists for the interface, if any. */
  public static Optional<InetAddress> firstIpv4(String interfaceName) {
    try {
      NetworkInterface nif = NetworkInterface.getByName(interfaceName);
      if (nif == null) {
        return Optional.empty();
      }
      return nif.inetAddresses().filter(a -> a instanceof Inet4Address).findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static InetAddress ipv4(int value, ByteOrder hostOrder) {
    byte[] b = ByteBuffer.allocate(4).order(hostOrder).putInt(value).array();
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
