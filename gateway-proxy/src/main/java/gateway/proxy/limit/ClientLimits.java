package gateway.proxy.limit;

import gateway.core.config.ClientGroupConfig;
import gateway.core.config.GatewayConfig;
import gateway.core.config.GroupLimitsConfig;
import gateway.core.config.UplinkConfig;
import gateway.core.net.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The limits of the config, per client address and per uplink: connections, bandwidth each way, the
 * client's group and its shared bandwidth, and each uplink's {@code max-rate} and {@code
 * max-upload-rate}. Immutable; a reload makes a new one. Rates are bytes per second, 0 for none.
 *
 * <p>A client's limits are those of the first entry of {@code limits.groups} whose group holds its
 * address; a client in no such group has the per-client limits of {@code limits}.
 */
public final class ClientLimits {
  /** What applies to one client address. {@code group} is null when no group's limits apply. */
  public record Client(
      int connections,
      long download,
      long upload,
      String group,
      long groupDownload,
      long groupUpload) {
    public boolean limitsBandwidth() {
      return download > 0 || upload > 0 || groupDownload > 0 || groupUpload > 0;
    }
  }

  private record Group(String name, List<Cidr> networks, GroupLimitsConfig limits) {}

  /** An uplink's caps: {@code max-rate} (what comes in through it) and {@code max-upload-rate}. */
  record UplinkRates(long download, long upload) {
    static final UplinkRates NONE = new UplinkRates(0, 0);
  }

  private final Client everyone;
  private final List<Group> groups;
  private final Map<String, UplinkRates> uplinkRates;

  private ClientLimits(Client everyone, List<Group> groups, Map<String, UplinkRates> uplinkRates) {
    this.everyone = everyone;
    this.groups = groups;
    this.uplinkRates = uplinkRates;
  }

  public static ClientLimits of(GatewayConfig config) {
    var l = config.limits();
    Map<String, List<Cidr>> networks =
        config.groups().stream()
            .collect(Collectors.toMap(ClientGroupConfig::name, ClientGroupConfig::networks));
    List<Group> groups =
        l.groups().stream()
            .filter(g -> networks.containsKey(g.group()))
            .map(g -> new Group(g.group(), networks.get(g.group()), g))
            .toList();
    Map<String, UplinkRates> uplinks =
        config.uplinks().stream()
            .filter(u -> u.maxRate() > 0 || u.maxUploadRate() > 0)
            .collect(
                Collectors.toMap(
                    UplinkConfig::name, u -> new UplinkRates(u.maxRate(), u.maxUploadRate())));
    return new ClientLimits(
        new Client(l.clientConnections(), l.clientDownload(), l.clientUpload(), null, 0, 0),
        groups,
        uplinks);
  }

  /** No limits at all: what tests that do not care start with. */
  public static ClientLimits none() {
    return new ClientLimits(new Client(0, 0, 0, null, 0, 0), List.of(), Map.of());
  }

  public Client of(InetAddress client) {
    for (Group g : groups) {
      if (g.networks().stream().anyMatch(c -> c.contains(client))) {
        GroupLimitsConfig l = g.limits();
        return new Client(
            l.clientConnections().orElse(everyone.connections()),
            l.clientDownload().orElse(everyone.download()),
            l.clientUpload().orElse(everyone.upload()),
            g.name(),
            l.groupDownload(),
            l.groupUpload());
      }
    }
    return everyone;
  }

  /** The uplink's {@code max-rate} (download), 0 for none. */
  public long uplinkRate(String uplink) {
    return uplinkRates.getOrDefault(uplink, UplinkRates.NONE).download();
  }

  /** The uplink's {@code max-upload-rate}, 0 for none. */
  public long uplinkUploadRate(String uplink) {
    return uplinkRates.getOrDefault(uplink, UplinkRates.NONE).upload();
  }

  /** Group name to its shared rates {download, upload}, for groups that have any. */
  Map<String, long[]> groupRates() {
    return groups.stream()
        .collect(
            Collectors.toMap(
                Group::name,
                g -> new long[] {g.limits().groupDownload(), g.limits().groupUpload()}));
  }

  /** Uplink name to its caps, for uplinks that have any. */
  Map<String, UplinkRates> uplinkRates() {
    return uplinkRates;
  }

  /** Whether any bandwidth is limited: without, connections need no throttle at all. */
  public boolean limitsBandwidth() {
    return everyone.limitsBandwidth()
        || !uplinkRates.isEmpty()
        || groups.stream()
            .anyMatch(
                g ->
                    g.limits().clientDownload().orElse(0) > 0
                        || g.limits().clientUpload().orElse(0) > 0
                        || g.limits().groupDownload() > 0
                        || g.limits().groupUpload() > 0);
  }
}
