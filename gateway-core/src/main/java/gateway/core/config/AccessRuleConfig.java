package gateway.core.config;

import gateway.core.net.Cidr;
import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code access}: {@code { name, action = allow|deny|redirect, domains, clients, methods,
 * ports, connect, url-regex, time, redirect }}. First match wins; a rule matches when every criterion
 * it states matches (an absent criterion matches everything).
 *
 * @param clients client networks (CIDRs)
 * @param methods request methods, upper case ({@code CONNECT} included)
 * @param ports destination ports
 * @param connect true: CONNECT tunnels only; false: plain HTTP requests only
 * @param urlRegex regular expressions over the full URL of plain HTTP requests (a tunnel's URL is not
 *     known, so a rule with url-regex never matches a CONNECT)
 */
public record AccessRuleConfig(
    String name,
    String action,
    List<String> domains,
    Optional<String> time,
    Optional<String> redirect,
    List<Cidr> clients,
    List<String> methods,
    List<Integer> ports,
    Optional<Boolean> connect,
    List<String> urlRegex) {

  public AccessRuleConfig {
    domains = List.copyOf(domains);
    clients = List.copyOf(clients);
    methods = List.copyOf(methods);
    ports = List.copyOf(ports);
    urlRegex = List.copyOf(urlRegex);
  }

  /** A rule on destination domains and time only. */
  public AccessRuleConfig(String name, String action, List<String> domains, Optional<String> time,
      Optional<String> redirect) {
    this(name, action, domains, time, redirect, List.of(), List.of(), List.of(), Optional.empty(),
        List.of());
  }
}
