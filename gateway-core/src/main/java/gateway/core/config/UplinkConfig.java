package gateway.core.config;

import gateway.core.net.HostPort;
import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code uplinks}: {@code { name, address, interface, weight = 1, tier = 1,
 * interface-optional = false }}.
 *
 * @param address source address every upstream socket of this uplink is bound to
 * @param interfaceName {@code interface}: device to bind to with SO_BINDTODEVICE, if any
 * @param interfaceOptional {@code interface-optional}: when binding to the device is not permitted,
 *     run with source-address binding only (one WARN line) instead of refusing to start
 * @param healthTargets {@code health-targets}: this uplink's own probe targets (e.g. its ISP's
 *     resolver); empty: the shared {@code health.targets}
 * @param dnsServers {@code dns}: resolvers to ask through this uplink (e.g. its ISP's); empty: the
 *     shared {@code dns.servers}, else the system's
 * @param maxRate {@code max-rate}: bytes per second the gateway receives through this uplink at
 *     most, shared fairly between the clients using it; 0: no limit
 * @param maxUploadRate {@code max-upload-rate}: bytes per second the gateway sends through this
 *     uplink at most (request bodies, tunnels' upload direction), shared fairly between the clients
 *     using it; 0: no limit
 */
public record UplinkConfig(
    String name,
    InetAddress address,
    Optional<String> interfaceName,
    int weight,
    int tier,
    boolean interfaceOptional,
    List<ProbeTarget> healthTargets,
    List<HostPort> dnsServers,
    long maxRate,
    long maxUploadRate) {

  public UplinkConfig {
    healthTargets = List.copyOf(healthTargets);
    dnsServers = List.copyOf(dnsServers);
  }

  /** An uplink that uses the shared probe targets and resolvers. */
  public UplinkConfig(
      String name,
      InetAddress address,
      Optional<String> interfaceName,
      int weight,
      int tier,
      boolean interfaceOptional) {
    this(name, address, interfaceName, weight, tier, interfaceOptional, List.of(), List.of());
  }

  public UplinkConfig(
      String name,
      InetAddress address,
      Optional<String> interfaceName,
      int weight,
      int tier,
      boolean interfaceOptional,
      List<ProbeTarget> healthTargets,
      List<HostPort> dnsServers) {
    this(
        name,
        address,
        interfaceName,
        weight,
        tier,
        interfaceOptional,
        healthTargets,
        dnsServers,
        0);
  }

  /** An uplink whose upload is not capped. */
  public UplinkConfig(
      String name,
      InetAddress address,
      Optional<String> interfaceName,
      int weight,
      int tier,
      boolean interfaceOptional,
      List<ProbeTarget> healthTargets,
      List<HostPort> dnsServers,
      long maxRate) {
    this(
        name,
        address,
        interfaceName,
        weight,
        tier,
        interfaceOptional,
        healthTargets,
        dnsServers,
        maxRate,
        0);
  }

  /** The uplink as selection, health and binding see it. */
  public Uplink uplink() {
    return new Uplink(name, address, interfaceName, weight, tier);
  }

  public UplinkConfig withMaxRate(long bytesPerSecond) {
    return new UplinkConfig(
        name,
        address,
        interfaceName,
        weight,
        tier,
        interfaceOptional,
        healthTargets,
        dnsServers,
        bytesPerSecond,
        maxUploadRate);
  }

  public UplinkConfig withMaxUploadRate(long bytesPerSecond) {
    return new UplinkConfig(
        name,
        address,
        interfaceName,
        weight,
        tier,
        interfaceOptional,
        healthTargets,
        dnsServers,
        maxRate,
        bytesPerSecond);
  }
}
