package gateway.app;

import gateway.core.config.GatewayConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.limit.Rate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which parts of a new config a reload applies in place and which need a restart: pure, so that the
 * split is tested by comparing configs. Applied in place: {@code clients.groups}, {@code access},
 * {@code limits.client-connections}, {@code limits.client-download}, {@code limits.client-upload},
 * {@code limits.groups}, {@code uplinks[].max-rate}.
 */
final class Reload {
  private Reload() {}

  /** The top-level keys (or {@code limits.*} keys) whose changes a reload leaves for a restart. */
  static List<String> needsRestart(GatewayConfig before, GatewayConfig next) {
    List<String> out = new ArrayList<>();
    differs(out, "listen", before.listen(), next.listen());
    differs(out, "clients.allow", before.clientsAllow(), next.clientsAllow());
    differs(out, "uplinks", withoutRates(before.uplinks()), withoutRates(next.uplinks()));
    differs(out, "balance", before.balance(), next.balance());
    differs(out, "health", before.health(), next.health());
    differs(out, "cache", before.cache(), next.cache());
    differs(out, "connect.ports", before.connectPorts(), next.connectPorts());
    differs(out, "log", before.log(), next.log());
    differs(out, "admin.listen", before.adminListen(), next.adminListen());
    differs(out, "timeouts", before.timeouts(), next.timeouts());
    var l = before.limits();
    var n = next.limits();
    differs(out, "limits.request-line", l.requestLine(), n.requestLine());
    differs(out, "limits.header-block", l.headerBlock(), n.headerBlock());
    differs(out, "limits.headers", l.headers(), n.headers());
    differs(out, "shutdown", before.shutdown(), next.shutdown());
    differs(out, "dns.servers", before.dnsServers(), next.dnsServers());
    return out;
  }

  /** The config in force after a reload: {@code before}, with the parts a reload applies from {@code next}. */
  static GatewayConfig applied(GatewayConfig before, GatewayConfig next) {
    var l = before.limits();
    var n = next.limits();
    List<UplinkConfig> uplinks = before.uplinks().stream()
        .map(u -> u.withMaxRate(next.uplinks().stream().filter(v -> v.name().equals(u.name()))
            .mapToLong(UplinkConfig::maxRate).findFirst().orElse(0)))
        .toList();
    return before.withGroups(next.groups()).withAccess(next.access()).withUplinks(uplinks)
        .withLimits(new gateway.core.config.LimitsConfig(l.requestLine(), l.headerBlock(), l.headers(),
            n.clientConnections(), n.clientDownload(), n.clientUpload(), n.groups()));
  }

  static String describeLimits(GatewayConfig c) {
    var l = c.limits();
    return "client-connections " + l.clientConnections() + ", client-download "
        + Rate.format(l.clientDownload()) + ", client-upload " + Rate.format(l.clientUpload())
        + ", " + l.groups().size() + " group limits";
  }

  private static List<UplinkConfig> withoutRates(List<UplinkConfig> uplinks) {
    return uplinks.stream().map(u -> u.withMaxRate(0)).toList();
  }

  private static void differs(List<String> out, String key, Object a, Object b) {
    if (!Objects.equals(a, b)) {
      out.add(key);
    }
  }
}
