package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rules on the origin's resolved address (Squid's dst): a deny rule with destinations decides after
 * DNS, on the address about to be connected, whatever the host was called; the rules before it
 * still come first.
 */
class DestinationRulesTest {
  static final LocalDateTime NOW = LocalDateTime.parse("2026-11-23T10:00");

  final AccessRules rules =
      AccessRules.of(
          List.of(
              new AccessRuleConfig(
                  "updates-allowed",
                  AccessAction.ALLOW,
                  List.of("update.example"),
                  Optional.empty(),
                  Optional.empty()),
              rule("modem-admin", List.of("127.0.0.2/32", "192.168.1.1/32", "fd00::/8")),
              new AccessRuleConfig(
                  "no-videos",
                  AccessAction.DENY,
                  List.of("videos.example"),
                  Optional.empty(),
                  Optional.empty())));

  static AccessRuleConfig rule(String name, List<String> destinations) {
    return new AccessRuleConfig(
        name,
        AccessAction.DENY,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of(),
        List.of(),
        List.of(),
        OptionalLong.empty(),
        destinations.stream().map(Cidr::parse).toList());
  }

  @ParameterizedTest(name = "{0} at {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // The address decides, not the name: any name that resolves into the network is denied.
        "modem.example   | 127.0.0.2        | modem-admin",
        "127.0.0.2       | 127.0.0.2        | modem-admin",
        "router.example  | 192.168.1.1      | modem-admin",
        // An IPv4-mapped IPv6 address is its IPv4 address (RFC 4291 2.5.5.2).
        "mapped.example  | ::ffff:192.168.1.1 | modem-admin",
        "v6.example      | fd00::1          | modem-admin",
        "elsewhere.example | 127.0.0.3      | -",
        "elsewhere.example | 192.168.1.2    | -",
        // A rule before it decides first: the destination rule never sees the request.
        "update.example  | 127.0.0.2        | -",
      })
  void aDestinationRuleDeniesTheResolvedAddress(String host, String address, String denied)
      throws Exception {
    AccessRules.Request request = get(host).at(InetAddress.getByName(address));

    Optional<AccessRules.Deny> d = rules.decideAtDestination(request, NOW);

    assertThat(d.map(AccessRules.Deny::rule).orElse("-")).isEqualTo(denied);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // Before DNS, the destination rule is passed over: the rules after it decide what they can.
        "modem.example   | ALLOW",
        "videos.example  | no-videos",
        "update.example  | updates-allowed",
      })
  void beforeDnsTheDestinationRuleIsPassedOver(String host, String decided) {
    AccessRules.Decision d = rules.decide(get(host), NOW);

    switch (decided) {
      case "ALLOW" -> assertThat(d).isEqualTo(new AccessRules.Allow(Optional.empty()));
      case "updates-allowed" ->
          assertThat(d).isEqualTo(new AccessRules.Allow(Optional.of(decided)));
      default -> assertThat(d).isEqualTo(new AccessRules.Deny(decided));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // An IP literal is its own destination: decided at once (before the cache), in rule order.
        "127.0.0.2   | modem-admin",
        "127.0.0.3   | -",
      })
  void anAddressKnownAtOnceIsDecidedAtOnce(String literal, String denied) throws Exception {
    AccessRules.Decision d = rules.decide(get(literal).at(InetAddress.getByName(literal)), NOW);

    assertThat(d instanceof AccessRules.Deny deny ? deny.rule() : "-").isEqualTo(denied);
  }

  @ParameterizedTest(name = "CONNECT {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "modem.example:443 | 127.0.0.2 | modem-admin",
        "other.example:443 | 127.0.0.9 | -",
      })
  void aTunnelIsDeniedLikeAPlainRequest(String authority, String address, String denied)
      throws Exception {
    String host = authority.substring(0, authority.indexOf(':'));
    AccessRules.Request connect =
        new AccessRules.Request(
                InetAddress.getByName("192.168.88.10"), "CONNECT", host, 443, true, null)
            .at(InetAddress.getByName(address));

    assertThat(rules.decideAtDestination(connect, NOW).map(AccessRules.Deny::rule).orElse("-"))
        .isEqualTo(denied);
  }

  static AccessRules.Request get(String host) {
    try {
      return new AccessRules.Request(
          InetAddress.getByName("192.168.88.10"), "GET", host, 80, false, "http://" + host + "/");
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
