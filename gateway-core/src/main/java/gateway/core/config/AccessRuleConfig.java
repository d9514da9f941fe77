package gateway.core.config;

import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code access}: {@code { name, action = allow|deny|redirect, domains, time, redirect }}.
 * First match wins. The full matcher set grows with the access-rules work; the loader already checks
 * the keys it knows.
 */
public record AccessRuleConfig(
    String name,
    String action,
    List<String> domains,
    Optional<String> time,
    Optional<String> redirect) {

  public AccessRuleConfig {
    domains = List.copyOf(domains);
  }
}
