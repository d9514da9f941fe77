package gateway.core.config;

import gateway.core.access.AccessAction;
import gateway.core.access.Regex;
import gateway.core.access.TimeWindow;
import gateway.core.net.Cidr;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One entry of {@code access}: {@code { name, action = allow|deny|redirect, domains, domain-regex,
 * clients, methods, ports, connect, url-regex, time, content-types, max-size, destinations,
 * redirect }}. First match wins; a rule matches when every criterion it states matches (an absent
 * criterion matches everything).
 *
 * @param clients client networks (CIDRs), with the networks of the client groups the rule names
 *     already added
 * @param methods request methods, upper case ({@code CONNECT} included)
 * @param ports destination ports
 * @param connect true: CONNECT tunnels only; false: plain HTTP requests only
 * @param time when the rule applies, in the box's local time; empty: always
 * @param urlRegex regular expressions over the full URL of plain HTTP requests (a tunnel's URL is
 *     not known, so a rule with url-regex never matches a CONNECT)
 * @param domainRegex regular expressions searched in the destination host name, ignoring case
 * @param contentTypes response media types ({@code video/*}, {@code application/zip}): decided at
 *     the response head of plain HTTP requests, deny rules only
 * @param maxSize the rule matches responses whose Content-Length is larger (deny rules only)
 * @param destinations networks (CIDRs) of the origin's resolved address: decided after DNS, just
 *     before connecting, for plain HTTP and CONNECT alike (Squid's {@code dst}); deny rules only
 */
public record AccessRuleConfig(
    String name,
    AccessAction action,
    List<String> domains,
    Optional<TimeWindow> time,
    Optional<String> redirect,
    List<Cidr> clients,
    List<String> methods,
    List<Integer> ports,
    Optional<Boolean> connect,
    List<Regex> urlRegex,
    List<Regex> domainRegex,
    List<String> contentTypes,
    OptionalLong maxSize,
    List<Cidr> destinations) {

  public AccessRuleConfig {
    domains = List.copyOf(domains);
    clients = List.copyOf(clients);
    methods = List.copyOf(methods);
    ports = List.copyOf(ports);
    urlRegex = List.copyOf(urlRegex);
    domainRegex = List.copyOf(domainRegex);
    contentTypes = List.copyOf(contentTypes);
    destinations = List.copyOf(destinations);
  }

  /** A rule without {@code destinations}. */
  public AccessRuleConfig(
      String name,
      AccessAction action,
      List<String> domains,
      Optional<TimeWindow> time,
      Optional<String> redirect,
      List<Cidr> clients,
      List<String> methods,
      List<Integer> ports,
      Optional<Boolean> connect,
      List<Regex> urlRegex,
      List<Regex> domainRegex,
      List<String> contentTypes,
      OptionalLong maxSize) {
    this(
        name,
        action,
        domains,
        time,
        redirect,
        clients,
        methods,
        ports,
        connect,
        urlRegex,
        domainRegex,
        contentTypes,
        maxSize,
        List.of());
  }

  public AccessRuleConfig(
      String name,
      AccessAction action,
      List<String> domains,
      Optional<TimeWindow> time,
      Optional<String> redirect,
      List<Cidr> clients,
      List<String> methods,
      List<Integer> ports,
      Optional<Boolean> connect,
      List<Regex> urlRegex) {
    this(
        name,
        action,
        domains,
        time,
        redirect,
        clients,
        methods,
        ports,
        connect,
        urlRegex,
        List.of(),
        List.of(),
        OptionalLong.empty());
  }

  /** A rule on destination domains and time only. */
  public AccessRuleConfig(
      String name,
      AccessAction action,
      List<String> domains,
      Optional<TimeWindow> time,
      Optional<String> redirect) {
    this(
        name,
        action,
        domains,
        time,
        redirect,
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of());
  }

  /** Whether the rule can only be decided once the origin's address is known (destinations). */
  public boolean afterDns() {
    return !destinations.isEmpty();
  }

  /** Whether the rule can only be decided at the response head (content type or size). */
  public boolean onResponse() {
    return !contentTypes.isEmpty() || maxSize.isPresent();
  }
}
