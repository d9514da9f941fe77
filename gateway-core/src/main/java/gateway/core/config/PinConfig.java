package gateway.core.config;

import gateway.core.net.Cidr;
import gateway.core.net.ClassifierMode;
import java.util.List;
import java.util.Optional;

/**
 * One {@code balance.pin} rule: destinations matched by {@code domains} (exact or {@code
 * *.wildcard}) or {@code networks} (CIDRs) go to one {@code uplink}, or are classified with another
 * {@code classifier}.
 */
public record PinConfig(
    List<String> domains,
    List<Cidr> networks,
    Optional<String> uplink,
    Optional<ClassifierMode> classifier) {

  public PinConfig {
    domains = List.copyOf(domains);
    networks = List.copyOf(networks);
  }
}
