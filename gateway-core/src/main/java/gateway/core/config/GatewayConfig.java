package gateway.core.config;

import gateway.core.net.Cidr;
import gateway.core.net.HostPort;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

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
 * @param transparent {@code transparent.*}: interception of the LAN's TCP
 * @param firewall {@code firewall}: whether the gateway installs its nftables table itself
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
    List<ClientGroupConfig> groups,
    TransparentConfig transparent,
    FirewallMode firewall) {

  public GatewayConfig {
    groups = List.copyOf(groups);
    clientsAllow = List.copyOf(clientsAllow);
    dnsServers = List.copyOf(dnsServers);
    uplinks = List.copyOf(uplinks);
    connectPorts = Set.copyOf(connectPorts);
    access = List.copyOf(access);
  }

  /** A config without transparent interception, its firewall {@link FirewallMode#AUTO}. */
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
      PacConfig pac,
      List<ClientGroupConfig> groups) {
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
        groups,
        TransparentConfig.DISABLED,
        FirewallMode.AUTO);
  }

  /** A config without client groups and without transparent interception. */
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
    return copy(c -> c.groups = newGroups);
  }

  public GatewayConfig withCache(CacheConfig newCache) {
    return copy(c -> c.cache = newCache);
  }

  public GatewayConfig withListen(HostPort newListen) {
    return copy(c -> c.listen = newListen);
  }

  public GatewayConfig withUplinks(List<UplinkConfig> newUplinks) {
    return copy(c -> c.uplinks = newUplinks);
  }

  public GatewayConfig withClientsAllow(List<Cidr> newAllow) {
    return copy(c -> c.clientsAllow = newAllow);
  }

  public GatewayConfig withLog(LogConfig newLog) {
    return copy(c -> c.log = newLog);
  }

  public GatewayConfig withTimeouts(TimeoutsConfig newTimeouts) {
    return copy(c -> c.timeouts = newTimeouts);
  }

  public GatewayConfig withLimits(LimitsConfig newLimits) {
    return copy(c -> c.limits = newLimits);
  }

  public GatewayConfig withConnectPorts(Set<Integer> ports) {
    return copy(c -> c.connectPorts = ports);
  }

  public GatewayConfig withAdminListen(HostPort newAdminListen) {
    return copy(c -> c.adminListen = newAdminListen);
  }

  public GatewayConfig withShutdown(ShutdownConfig newShutdown) {
    return copy(c -> c.shutdown = newShutdown);
  }

  public GatewayConfig withAccess(List<AccessRuleConfig> rules) {
    return copy(c -> c.access = rules);
  }

  public GatewayConfig withDnsServers(List<HostPort> servers) {
    return copy(c -> c.dnsServers = servers);
  }

  public GatewayConfig withAdmin(AdminConfig newAdmin) {
    return copy(c -> c.admin = newAdmin);
  }

  public GatewayConfig withPac(PacConfig newPac) {
    return copy(c -> c.pac = newPac);
  }

  public GatewayConfig withTransparent(TransparentConfig newTransparent) {
    return copy(c -> c.transparent = newTransparent);
  }

  public GatewayConfig withFirewall(FirewallMode newFirewall) {
    return copy(c -> c.firewall = newFirewall);
  }

  /** This config with the components {@code change} sets on a copy; the others stay as they are. */
  private GatewayConfig copy(Consumer<Copy> change) {
    Copy c = new Copy(this);
    change.accept(c);
    return c.build();
  }

  /** The components of a config, to change some and build the next config from all of them. */
  private static final class Copy {
    HostPort listen;
    List<Cidr> clientsAllow;
    List<UplinkConfig> uplinks;
    BalanceConfig balance;
    HealthConfig health;
    CacheConfig cache;
    Set<Integer> connectPorts;
    List<AccessRuleConfig> access;
    LogConfig log;
    HostPort adminListen;
    TimeoutsConfig timeouts;
    LimitsConfig limits;
    ShutdownConfig shutdown;
    String source;
    List<HostPort> dnsServers;
    AdminConfig admin;
    PacConfig pac;
    List<ClientGroupConfig> groups;
    TransparentConfig transparent;
    FirewallMode firewall;

    Copy(GatewayConfig c) {
      listen = c.listen;
      clientsAllow = c.clientsAllow;
      uplinks = c.uplinks;
      balance = c.balance;
      health = c.health;
      cache = c.cache;
      connectPorts = c.connectPorts;
      access = c.access;
      log = c.log;
      adminListen = c.adminListen;
      timeouts = c.timeouts;
      limits = c.limits;
      shutdown = c.shutdown;
      source = c.source;
      dnsServers = c.dnsServers;
      admin = c.admin;
      pac = c.pac;
      groups = c.groups;
      transparent = c.transparent;
      firewall = c.firewall;
    }

    GatewayConfig build() {
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
          groups,
          transparent,
          firewall);
    }
  }
}
