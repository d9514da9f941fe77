package gateway.pcc.select;

import gateway.core.config.PinConfig;
import gateway.core.net.Cidr;
import gateway.core.net.DomainPattern;
import gateway.pcc.classify.Classifier;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One {@code balance.pin} rule. It matches a connection when the destination host name matches one
 * of its {@code domains} (see {@link DomainPattern} for the wildcard rule: {@code *.example.org}
 * also matches {@code example.org}) or the resolved destination address lies in one of its {@code
 * networks}. Its action is a fixed {@code uplink} (tried first while it is available; the normal
 * order follows as fallbacks; while it is down the normal selection applies) and/or another {@code
 * classifier} for the normal order. The first matching rule of {@code balance.pin} wins.
 */
public final class PinRule {

  private final List<DomainPattern> domains;
  private final List<Cidr> networks;
  private final Optional<String> uplink;
  private final Optional<Classifier> classifier;

  private PinRule(
      List<DomainPattern> domains,
      List<Cidr> networks,
      Optional<String> uplink,
      Optional<Classifier> classifier) {
    if (domains.isEmpty() && networks.isEmpty()) {
      throw new IllegalArgumentException("a pin needs domains or networks to match");
    }
    if (uplink.isEmpty() && classifier.isEmpty()) {
      throw new IllegalArgumentException("a pin needs an uplink or a classifier");
    }
    this.domains = List.copyOf(domains);
    this.networks = List.copyOf(networks);
    this.uplink = uplink;
    this.classifier = classifier;
  }

  /**
   * @throws IllegalArgumentException for a malformed domain, or a pin with nothing to match or no
   *     action
   */
  public static PinRule of(PinConfig config) {
    return new PinRule(
        config.domains().stream().map(DomainPattern::parse).collect(Collectors.toList()),
        config.networks(),
        config.uplink(),
        config.classifier().map(Classifier::of));
  }

  /** Same as {@link #of(PinConfig)}, for code and tests. */
  public static PinRule of(
      List<String> domains,
      List<Cidr> networks,
      Optional<String> uplink,
      Optional<Classifier> classifier) {
    return new PinRule(
        domains.stream().map(DomainPattern::parse).collect(Collectors.toList()),
        networks,
        uplink,
        classifier);
  }

  /**
   * @param destinationHost the host name the client asked for, or null when only an address is
   *     known
   * @param destinationAddress the resolved address the gateway will connect to
   */
  public boolean matches(String destinationHost, InetAddress destinationAddress) {
    if (destinationHost != null) {
      for (DomainPattern d : domains) {
        if (d.matches(destinationHost)) {
          return true;
        }
      }
    }
    for (Cidr n : networks) {
      if (n.contains(destinationAddress)) {
        return true;
      }
    }
    return false;
  }

  public Optional<String> uplink() {
    return uplink;
  }

  public Optional<Classifier> classifier() {
    return classifier;
  }

  /** The domain patterns as normalised text ({@code *.example.org}, lower case). */
  public List<String> domains() {
    return domains.stream().map(DomainPattern::toString).collect(Collectors.toList());
  }

  public List<Cidr> networks() {
    return networks;
  }

  @Override
  public String toString() {
    return "pin"
        + domains
        + networks
        + uplink.map(u -> " -> " + u).orElse("")
        + classifier.map(c -> " classifier " + c).orElse("");
  }
}
