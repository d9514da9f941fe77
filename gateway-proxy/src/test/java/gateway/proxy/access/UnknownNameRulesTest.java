package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.access.TimeWindow;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A connection whose name is not known (an intercepted TLS hello that could not be read) must not
 * pass a rule on names: the rule that could deny it whatever its name, if any. 2026-11-23 is a
 * Monday.
 */
class UnknownNameRulesTest {
  static final LocalDateTime MONDAY_10 = LocalDateTime.parse("2026-11-23T10:00");
  static final LocalDateTime MONDAY_20 = LocalDateTime.parse("2026-11-23T20:00");
  static final InetAddress LAB = address("10.0.2.7");
  static final InetAddress OFFICE = address("10.0.1.7");
  static final InetAddress DESTINATION = address("198.51.100.7");

  static AccessRuleConfig rule(String name, AccessAction action, List<String> domains) {
    return new AccessRuleConfig(name, action, domains, Optional.empty(), Optional.empty());
  }

  static AccessRuleConfig forClients(
      String name, AccessAction action, List<String> domains, String clients) {
    return new AccessRuleConfig(
        name,
        action,
        domains,
        Optional.empty(),
        Optional.empty(),
        List.of(Cidr.parse(clients)),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of());
  }

  static Optional<AccessRules.Deny> unnamed(AccessRules rules, InetAddress client) {
    return unnamed(rules, client, MONDAY_10);
  }

  static Optional<AccessRules.Deny> unnamed(
      AccessRules rules, InetAddress client, LocalDateTime now) {
    return rules.denyForUnknownName(
        new AccessRules.Request(
            client, "CONNECT", DESTINATION.getHostAddress(), 443, true, null, DESTINATION),
        now);
  }

  @Test
  void aDomainDenyCouldDenyAnyUnnamedConnection() {
    AccessRules rules =
        AccessRules.of(List.of(rule("no-video", AccessAction.DENY, List.of("*.video.example"))));

    assertThat(unnamed(rules, OFFICE)).contains(new AccessRules.Deny("no-video"));
  }

  @Test
  void aDomainDenyForOtherClientsDoesNotApply() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                forClients(
                    "lab-no-video", AccessAction.DENY, List.of("*.video.example"), "10.0.2.0/24")));

    assertThat(unnamed(rules, LAB)).contains(new AccessRules.Deny("lab-no-video"));
    assertThat(unnamed(rules, OFFICE)).isEmpty();
  }

  @Test
  void anAllowWithoutNamesBeforeItDecidesFirst() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                forClients("admins-anything", AccessAction.ALLOW, List.of(), "10.0.1.0/24"),
                rule("no-video", AccessAction.DENY, List.of("*.video.example"))));

    assertThat(unnamed(rules, OFFICE)).isEmpty();
    assertThat(unnamed(rules, LAB)).contains(new AccessRules.Deny("no-video"));
  }

  @Test
  void anAllowOnNamesBeforeItMayNotMatchSoTheDenyStillCould() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                rule("updates", AccessAction.ALLOW, List.of("update.video.example")),
                rule("no-video", AccessAction.DENY, List.of("*.video.example"))));

    assertThat(unnamed(rules, OFFICE)).contains(new AccessRules.Deny("no-video"));
  }

  @Test
  void aRuleOutsideItsTimeWindowCannotDeny() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                new AccessRuleConfig(
                    "no-video-office-hours",
                    AccessAction.DENY,
                    List.of("*.video.example"),
                    Optional.of(TimeWindow.parse("mon-fri 08:00-16:00")),
                    Optional.empty())));

    assertThat(unnamed(rules, OFFICE, MONDAY_10)).isPresent();
    assertThat(unnamed(rules, OFFICE, MONDAY_20)).isEmpty();
  }

  @Test
  void aRedirectOnNamesCountsAsADeny() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                new AccessRuleConfig(
                    "social-to-intranet",
                    AccessAction.REDIRECT,
                    List.of("social.example"),
                    Optional.empty(),
                    Optional.of("http://intranet.office/rules.html"))));

    assertThat(unnamed(rules, OFFICE)).contains(new AccessRules.Deny("social-to-intranet"));
  }

  @Test
  void noRulesOnNamesNoDeny() {
    AccessRules rules =
        AccessRules.of(List.of(rule("updates", AccessAction.ALLOW, List.of("update.example"))));

    assertThat(unnamed(rules, OFFICE)).isEmpty();
    assertThat(unnamed(AccessRules.of(List.of()), OFFICE)).isEmpty();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
