package gateway.proxy.access;

import gateway.core.config.GatewayConfig;
import gateway.proxy.limit.ClientLimits;

/**
 * What a reload replaces at once: the access rules and the per-client limits (client groups are in
 * both: the rules hold their networks, the limits their members' limits). Immutable.
 */
public record Policy(AccessRules access, ClientLimits limits) {
  public static Policy of(GatewayConfig config) {
    return new Policy(AccessRules.of(config.access()), ClientLimits.of(config));
  }
}
