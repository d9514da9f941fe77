package gateway.app;

import gateway.core.config.GatewayConfig;
import gateway.core.limit.Rate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which parts of a new config a reload applies in place and which need a restart: pure, so that the
 * split is tested by comparing configs. Everything applies in place but:
 *
 * <ul>
 *   <li>{@code listen} and {@code admin.listen}: the listening sockets. Closing one and binding
 *       another would refuse clients in between, and a wrong address would leave the gateway deaf;
 *       a restart is the honest way (systemd restarts it in a second).
 *   <li>{@code cache}: the store holds objects that responses under way are reading and writing,
 *       and a disk tier at another path or size means scanning or trimming it; the cache is opened
 *       once.
 * </ul>
 */
final class Reload {
  private Reload() {}

  /** The keys whose changes a reload leaves for a restart. */
  static List<String> needsRestart(GatewayConfig before, GatewayConfig next) {
    List<String> out = new ArrayList<>();
    differs(out, "listen", before.listen(), next.listen());
    differs(out, "admin.listen", before.adminListen(), next.adminListen());
    differs(out, "cache", before.cache(), next.cache());
    return out;
  }

  /** The config in force after a reload: {@code next}, but for what needs a restart (as before). */
  static GatewayConfig applied(GatewayConfig before, GatewayConfig next) {
    return next.withListen(before.listen())
        .withAdminListen(before.adminListen())
        .withCache(before.cache());
  }

  static String describeLimits(GatewayConfig c) {
    var l = c.limits();
    return "client-connections "
        + l.clientConnections()
        + ", client-download "
        + Rate.format(l.clientDownload())
        + ", client-upload "
        + Rate.format(l.clientUpload())
        + ", "
        + l.groups().size()
        + " group limits";
  }

  private static void differs(List<String> out, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(key);
    }
  }
}
