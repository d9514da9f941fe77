package gateway.proxy.access;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Recognises requests addressed to the gateway itself, which forwarding would send round in a loop:
 * the destination is one of the gateway's own listening sockets (a wildcard listener counts on
 * every local address), or the request already passed through this gateway (its {@code Via}
 * pseudonym). Every listener the gateway binds registers itself with {@link #addListener}.
 */
public final class LoopGuard {
  private final List<InetSocketAddress> listeners = new CopyOnWriteArrayList<>();
  private final Set<InetAddress> localAddresses;
  private final String viaPseudonym;

  /**
   * @param localAddresses every address of this machine, for wildcard listeners
   * @param viaPseudonym the name this gateway writes into {@code Via}
   */
  public LoopGuard(Set<InetAddress> localAddresses, String viaPseudonym) {
    this.localAddresses = Set.copyOf(localAddresses);
    this.viaPseudonym = viaPseudonym;
  }

  /** A socket the gateway now listens on (its bound address, port resolved). */
  public void addListener(InetSocketAddress bound) {
    listeners.add(bound);
  }

  /**
   * Whether connecting to {@code address:port} (the resolved address, just before connecting)
   * reaches one of the gateway's own listeners. 0.0.0.0/8 and {@code ::} mean "this host" (RFC 1122
   * 3.2.1.3, RFC 4291 2.5.2): Linux connects them to the socket's own or a loopback address, so
   * they reach a listener on any local address. IPv4-mapped IPv6 addresses are their IPv4
   * addresses.
   */
  public boolean isSelf(InetAddress address, int port) {
    InetAddress a = unmapped(address);
    boolean thisHost = isThisHost(a);
    for (InetSocketAddress l : listeners) {
      if (l.getPort() != port) {
        continue;
      }
      InetAddress bound = unmapped(l.getAddress());
      if (thisHost || bound.equals(a)) {
        return true;
      }
      if (bound.isAnyLocalAddress() && (a.isLoopbackAddress() || localAddresses.contains(a))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isThisHost(InetAddress a) {
    return a.isAnyLocalAddress() || (a instanceof Inet4Address && a.getAddress()[0] == 0);
  }

  private static InetAddress unmapped(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length != 16) {
      return a;
    }
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return a;
      }
    }
    if (b[10] != (byte) 0xff || b[11] != (byte) 0xff) {
      return a;
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** True when a {@code Via} header value names this gateway. */
  public boolean viaNamesSelf(String via) {
    if (via == null) {
      return false;
    }
    for (String hop : via.split(",")) {
      String[] parts = hop.trim().split("\\s+");
      if (parts.length >= 2 && parts[1].equals(viaPseudonym)) {
        return true;
      }
    }
    return false;
  }

  public String viaPseudonym() {
    return viaPseudonym;
  }
}
