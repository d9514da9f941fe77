package gateway.core.config;

import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import java.util.List;
import java.util.Set;

/**
 * The whole configuration, immutable, as bound and validated by {@link ConfigLoader}. Keys are
 * those of {@code conf/gateway.conf}; each record below names the HOCON keys it comes from.
 *
 * @param listen {@code listen}: where clients connect
 * @param clientsAllow {@code clients.allow}; empty means the default (loopback and the listen
 *     address's subnets), which is worked out at start from the machine's interfaces
 * @param uplinks {@code uplinks}; empty means "discover from the default routes"
 * @param connectPorts {@code connect.ports}: ports CONNECT may reach
 * @param access {@code access}: ordered access rules
 * @param log {@code log.*}
 * @param adminListen {@code admin.listen}
 * @param source where this config came from (a file path, or "embedded default")
 * @param dnsServers {@code dns.servers}: resolvers as {@code ip:port} (port 53 when not written);
 *     empty means the system resolver
 * @param admin {@code admin.*} beyond the listen address (the bearer token)
 * @param pac {@code pac.*}: the proxy auto-config file
 * @param groups {@code clients.groups}: named groups of clients for access rules and limits
 */
public record GatewayConfig(
    HostPort listen,
    List<Cidr> clientsAllow,
    List<UplinkConfig> uplinks,
    BalanceConfig balance,
    HealthConfig health,
    CacheConfig cache,
    Set<Integer> connectPorts,
    List<AccessRuleConfig> access,
    LogConfig log,
    HostPort adminListen,
    TimeoutsConfig timeouts,
    LimitsConfig limits,
    ShutdownConfig shutdown,
    String source,
    List<HostPort> dnsServers,
    AdminConfig admin,
    PacConfig pac,
    List<ClientGroupConfig> groups) {

  public GatewayConfig {
    groups = List.copyOf(groups);
    clientsAllow = List.copyOf(clientsAllow);
    dnsServers = List.copyOf(dnsServers);
    uplinks = List.copyOf(uplinks);
    connectPorts = Set.copyOf(connectPorts);
    access = List.copyOf(access);
  }

  /** A config without client groups. */
  public GatewayConfig(
      HostPort listen,
      List<Cidr> clientsAllow,
      List<UplinkConfig> uplinks,
      BalanceConfig balance,
      HealthConfig health,
      CacheConfig cache,
      Set<Integer> connectPorts,
      List<AccessRuleConfig> access,
      LogConfig log,
      HostPort adminListen,
      TimeoutsConfig timeouts,
      LimitsConfig limits,
      ShutdownConfig shutdown,
      String source,
      List<HostPort> dnsServers,
      AdminConfig admin,
      PacConfig pac) {
    this(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        List.of());
  }

  public GatewayConfig withGroups(List<ClientGroupConfig> newGroups) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        newGroups);
  }

  public GatewayConfig withCache(CacheConfig newCache) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        newCache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withListen(HostPort newListen) {
    return new GatewayConfig(
        newListen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withUplinks(List<UplinkConfig> newUplinks) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        newUplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withClientsAllow(List<Cidr> newAllow) {
    return new GatewayConfig(
        listen,
        newAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withLog(LogConfig newLog) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        newLog,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withTimeouts(TimeoutsConfig newTimeouts) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        newTimeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withLimits(LimitsConfig newLimits) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        newLimits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withConnectPorts(Set<Integer> ports) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        ports,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withAdminListen(HostPort newAdminListen) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        newAdminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withShutdown(ShutdownConfig newShutdown) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        newShutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withAccess(List<AccessRuleConfig> rules) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        rules,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withDnsServers(List<HostPort> servers) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        servers,
        admin,
        pac,
        groups);
  }

  public GatewayConfig withAdmin(AdminConfig newAdmin) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        newAdmin,
        pac,
        groups);
  }

  public GatewayConfig withPac(PacConfig newPac) {
    return new GatewayConfig(
        listen,
        clientsAllow,
        uplinks,
        balance,
        health,
        cache,
        connectPorts,
        access,
        log,
        adminListen,
        timeouts,
        limits,
        shutdown,
        source,
        dnsServers,
        admin,
        newPac,
        groups);
  }
}
