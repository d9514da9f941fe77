package gateway.core.config;

import gateway.core.net.Cidr;
import java.util.List;

/**
 * One entry of {@code clients.groups}: {@code { name = guests, networks = ["192.168.88.192/26"] }}.
 * Access rules name a group in their {@code clients}; {@code limits.groups} gives a group's members
 * their own limits and the group a shared one.
 *
 * @param networks the members: addresses or CIDRs
 */
public record ClientGroupConfig(String name, List<Cidr> networks) {
  public ClientGroupConfig {
    networks = List.copyOf(networks);
  }
}
