package gateway.pcc.bind;

import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Linux policy routing the uplinks need, as the commands {@code gateway routes} prints, and the
 * check {@code gateway check} runs against {@code ip rule show}.
 *
 * <p>Binding a socket to an uplink's source address does not choose the outgoing interface on
 * Linux: each uplink needs its own routing table with a default route out of its interface, and a
 * rule sending packets from its address to that table. Tables are numbered from {@value
 * #FIRST_TABLE} in uplink order; a rule's priority equals its table number (well before the main
 * table's 32766). For example:
 *
 * <pre>
 * # isp1: from 192.168.1.2 out of eth1 via 192.168.1.1 (table 101)
 * ip rule add from 192.168.1.2 table 101 priority 101
 * ip route replace default via 192.168.1.1 dev eth1 table 101
 * </pre>
 *
 * The next hop comes from the main table's default route of the uplink's interface; when it is not
 * known, the line holds a placeholder such as {@code <gateway-of-isp2>} for the admin to fill in
 * (and {@code <interface-of-isp2>} for an uplink whose interface is neither configured nor found by
 * address). A point-to-point default route without a next hop gives {@code default dev ppp0}. IPv6
 * uplinks get {@code ip -6}.
 */
public final class RoutePlan {

  /** The routing table of the first uplink; the next one gets 102, and so on. */
  public static final int FIRST_TABLE = 101;

  /** The main table's rule priority: rules after it never see packets the main table routes. */
  private static final int MAIN_TABLE_PRIORITY = 32766;

  /**
   * One uplink's part of the plan.
   *
   * @param device the interface, or a placeholder {@code <interface-of-NAME>}
   * @param via the next hop, a placeholder {@code <gateway-of-NAME>}, or empty for an on-link
   *     default
   */
  public record Entry(Uplink uplink, int table, int priority, String device, Optional<String> via) {

    /** {@code ip rule add from <address> table <N> priority <P>} */
    public String ruleCommand() {
      return ip()
          + " rule add from "
          + addressText(uplink.address())
          + " table "
          + table
          + " priority "
          + priority;
    }

    /** {@code ip route replace default via <gw> dev <if> table <N>} */
    public String routeCommand() {
      return ip()
          + " route replace default"
          + via.map(v -> " via " + v).orElse("")
          + " dev "
          + device
          + " table "
          + table;
    }

    /** {@code # NAME: from <address> out of <if> via <gw> (table <N>)} */
    public String comment() {
      return "# "
          + uplink.name()
          + ": from "
          + addressText(uplink.address())
          + " out of "
          + device
          + via.map(v -> " via " + v).orElse("")
          + " (table "
          + table
          + ")";
    }

    private String ip() {
      return uplink.address() instanceof Inet6Address ? "ip -6" : "ip";
    }
  }

  private final List<Entry> entries;

  private RoutePlan(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * The plan for these uplinks, in this order.
   *
   * @param defaultRoutes the main table's default routes (see {@link DefaultRouteDiscovery}), for
   *     the next hops
   * @param interfaceOfAddress which interface holds an address, for uplinks configured without one
   */
  public static RoutePlan of(
      List<Uplink> uplinks,
      List<DefaultRoute> defaultRoutes,
      Function<InetAddress, Optional<String>> interfaceOfAddress) {
    List<Entry> entries = new ArrayList<>();
    int table = FIRST_TABLE;
    for (Uplink u : uplinks) {
      Optional<String> device = u.interfaceName().or(() -> interfaceOfAddress.apply(u.address()));
      Optional<DefaultRoute> route =
          device.flatMap(
              d -> defaultRoutes.stream().filter(r -> r.interfaceName().equals(d)).findFirst());
      Optional<String> via;
      if (route.isPresent()) {
        via = route.get().gateway().map(InetAddress::getHostAddress);
      } else {
        via = Optional.of("<gateway-of-" + u.name() + ">");
      }
      entries.add(
          new Entry(u, table, table, device.orElse("<interface-of-" + u.name() + ">"), via));
      table++;
    }
    return new RoutePlan(entries);
  }

  /** {@link #of} with this machine's {@code /proc/net/route} and interfaces. */
  public static RoutePlan forThisMachine(List<Uplink> uplinks) {
    return of(uplinks, DefaultRouteDiscovery.readDefaultRoutes(), RoutePlan::interfaceOf);
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The script: per uplink a comment, the {@code ip rule} line and the {@code ip route} line. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.comment());
      out.add(e.ruleCommand());
      out.add(e.routeCommand());
    }
    return List.copyOf(out);
  }

  /** {@link #lines()} joined, each ending with a newline. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    lines().forEach(l -> sb.append(l).append('\n'));
    return sb.toString();
  }

  /**
   * The plan's {@code ip rule add} commands that {@code ip rule show} output lacks. A rule counts
   * as installed when a line {@code P: from <address> lookup <table>} exists with P below the main
   * table's 32766, and the table shown either as the plan's number or as the uplink's name (an
   * {@code rt_tables} alias). A rule with further selectors ({@code iif}, {@code fwmark}, {@code
   * not}...) does not count. Whether the table holds the default route is not checked here. For
   * IPv6 uplinks pass the output of {@code ip -6 rule show} too.
   */
  public List<String> missingRules(List<String> ipRuleShowOutput) {
    List<String> missing = new ArrayList<>();
    for (Entry e : entries) {
      if (ipRuleShowOutput.stream().noneMatch(line -> installs(line, e))) {
        missing.add(e.ruleCommand());
      }
    }
    return List.copyOf(missing);
  }

  /** Whether every uplink's rule is in {@code ip rule show} output (see {@link #missingRules}). */
  public boolean isInstalled(List<String> ipRuleShowOutput) {
    return missingRules(ipRuleShowOutput).isEmpty();
  }

  private static boolean installs(String line, Entry e) {
    int colon = line.indexOf(':');
    if (colon < 0) {
      return false;
    }
    int priority;
    try {
      priority = Integer.parseInt(line.substring(0, colon).trim());
    } catch (NumberFormatException ex) {
      return false;
    }
    String[] t = line.substring(colon + 1).trim().split("\\s+");
    if (priority >= MAIN_TABLE_PRIORITY
        || t.length < 4
        || !t[0].equals("from")
        || !(t[2].equals("lookup") || t[2].equals("table"))) {
      return false;
    }
    return sameAddress(t[1], e.uplink().address())
        && (t[3].equals(Integer.toString(e.table())) || t[3].equals(e.uplink().name()));
  }

  private static boolean sameAddress(String shown, InetAddress address) {
    int full = address.getAddress().length * 8;
    String s = shown.endsWith("/" + full) ? shown.substring(0, shown.lastIndexOf('/')) : shown;
    if (s.equals("all") || s.contains("/")) {
      return false;
    }
    return Cidr.parseLiteral(s).map(b -> Arrays.equals(b, address.getAddress())).orElse(false);
  }

  /** An address as {@code ip} prints it: IPv6 in the RFC 5952 short form ({@code 2001:db8::2}). */
  static String addressText(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(j, i + 1);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLength - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  /** The interface holding this address on this machine, if any. */
  static Optional<String> interfaceOf(InetAddress address) {
    try {
      return Optional.ofNullable(NetworkInterface.getByInetAddress(address))
          .map(NetworkInterface::getName);
    } catch (SocketException e) {
      return Optional.empty();
    }
  }
}
