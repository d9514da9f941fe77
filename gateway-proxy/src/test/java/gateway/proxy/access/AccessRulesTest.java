package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.access.Regex;
import gateway.core.access.TimeWindow;
import gateway.core.config.AccessRuleConfig;
import gateway.core.net.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** First match wins; no match allows. 2026-11-23 is a Monday. */
class AccessRulesTest {
  static final LocalDateTime MONDAY_10 = LocalDateTime.parse("2026-11-23T10:00");
  static final LocalDateTime MONDAY_20 = LocalDateTime.parse("2026-11-23T20:00");

  final AccessRules rules =
      AccessRules.of(
          List.of(
              new AccessRuleConfig(
                  "updates-allowed",
                  AccessAction.ALLOW,
                  List.of("update.videos.example"),
                  Optional.empty(),
                  Optional.empty()),
              new AccessRuleConfig(
                  "no-video-office-hours",
                  AccessAction.DENY,
                  List.of("*.videos.example"),
                  Optional.of(TimeWindow.parse("mon-fri 08:00-16:00")),
                  Optional.empty()),
              new AccessRuleConfig(
                  "social-to-intranet",
                  AccessAction.REDIRECT,
                  List.of("social.example"),
                  Optional.empty(),
                  Optional.of("http://intranet.office/rules.html"))));

  @Test
  void aRuleBitesOnlyInsideItsWindow() {
    assertThat(rules.decide(get("www.videos.example"), MONDAY_10))
        .isEqualTo(new AccessRules.Deny("no-video-office-hours"));
    assertThat(rules.decide(get("www.videos.example"), MONDAY_20))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }

  @Test
  void theFirstMatchingRuleWins() {
    assertThat(rules.decide(get("update.videos.example"), MONDAY_10))
        .isEqualTo(new AccessRules.Allow(Optional.of("updates-allowed")));
  }

  @Test
  void aWildcardCoversTheBareDomainToo() {
    assertThat(rules.decide(get("videos.example"), MONDAY_10))
        .isEqualTo(new AccessRules.Deny("no-video-office-hours"));
    assertThat(rules.decide(get("videos.example.org"), MONDAY_10))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }

  @Test
  void aRedirectRuleGivesItsLocation() {
    assertThat(rules.decide(get("SOCIAL.example."), MONDAY_20))
        .isEqualTo(
            new AccessRules.Redirect("social-to-intranet", "http://intranet.office/rules.html"));
  }

  @Test
  void everyStatedCriterionMustMatch() {
    AccessRules lab =
        AccessRules.of(
            List.of(
                new AccessRuleConfig(
                    "lab-no-uploads",
                    AccessAction.DENY,
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(Cidr.parse("192.168.88.128/25")),
                    List.of("POST", "PUT"),
                    List.of(80),
                    Optional.of(false),
                    List.of(Regex.parse("/upload")))));
    String url = "http://files.example/upload/x";

    assertThat(
            lab.decide(req("192.168.88.200", "POST", "files.example", 80, false, url), MONDAY_10))
        .isEqualTo(new AccessRules.Deny("lab-no-uploads"));
    // any one criterion that does not match lets the request through
    assertThat(lab.decide(req("192.168.88.10", "POST", "files.example", 80, false, url), MONDAY_10))
        .isInstanceOf(AccessRules.Allow.class);
    assertThat(lab.decide(req("192.168.88.200", "GET", "files.example", 80, false, url), MONDAY_10))
        .isInstanceOf(AccessRules.Allow.class);
    assertThat(
            lab.decide(req("192.168.88.200", "POST", "files.example", 8080, false, url), MONDAY_10))
        .isInstanceOf(AccessRules.Allow.class);
    assertThat(
            lab.decide(
                req(
                    "192.168.88.200",
                    "POST",
                    "files.example",
                    80,
                    false,
                    "http://files.example/download"),
                MONDAY_10))
        .isInstanceOf(AccessRules.Allow.class);
  }

  @Test
  void connectIsMatchedOnHostAndPortAndNeverByUrl() {
    AccessRules rules =
        AccessRules.of(
            List.of(
                new AccessRuleConfig(
                    "no-tunnels-but-https",
                    AccessAction.DENY,
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(8443),
                    Optional.of(true),
                    List.of()),
                new AccessRuleConfig(
                    "url-rule",
                    AccessAction.DENY,
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    List.of(Regex.parse(".")))));

    assertThat(rules.decide(req("10.0.0.1", "CONNECT", "x.example", 8443, true, null), MONDAY_10))
        .isEqualTo(new AccessRules.Deny("no-tunnels-but-https"));
    assertThat(rules.decide(req("10.0.0.1", "CONNECT", "x.example", 443, true, null), MONDAY_10))
        .isInstanceOf(AccessRules.Allow.class);
    assertThat(
            rules.decide(
                req("10.0.0.1", "GET", "x.example", 80, false, "http://x.example/"), MONDAY_10))
        .isEqualTo(new AccessRules.Deny("url-rule"));
  }

  static AccessRules.Request req(
      String client, String method, String host, int port, boolean connect, String url) {
    try {
      return new AccessRules.Request(
          InetAddress.getByName(client), method, host, port, connect, url);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  static AccessRules.Request get(String host) {
    return req("192.168.88.10", "GET", host, 80, false, "http://" + host + "/");
  }

  @Test
  void noRulesAllowEverything() {
    assertThat(AccessRules.of(List.of()).decide(get("anything.example"), MONDAY_10))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }
}
