package gateway.proxy.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Recognises requests addressed to the gateway itself, which forwarding would send round in a loop:
 * the destination is one of the gateway's own listening sockets (a wildcard listener counts on every
 * local address), or the request already passed through this gateway (its {@code Via} pseudonym).
 * Every listener the gateway binds registers itself with {@link #addListener}.
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

  public boolean isSelf(InetAddress address, int port) {
    for (InetSocketAddress l : listeners) {
      if (l.getPort() != port) {
        continue;
      }
      InetAddress bound = l.getAddress();
      if (bound.equals(address)) {
        return true;
      }
      if (bound.isAnyLocalAddress()
          && (address.isLoopbackAddress() || address.isAnyLocalAddress()
              || localAddresses.contains(address))) {
        return true;
      }
    }
    return false;
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
