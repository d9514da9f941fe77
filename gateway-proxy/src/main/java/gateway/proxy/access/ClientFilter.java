package gateway.proxy.access;

import gateway.core.net.Cidr;
import java.net.InetAddress;
import java.util.List;

/** The networks whose clients the proxy serves ({@code clients.allow}); everyone else gets 403. */
public record ClientFilter(List<Cidr> allowed) {

  public ClientFilter {
    allowed = List.copyOf(allowed);
  }

  public boolean allows(InetAddress client) {
    for (Cidr c : allowed) {
      if (c.contains(client)) {
        return true;
      }
    }
    return false;
  }
}
