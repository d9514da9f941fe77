package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.AccessRuleConfig;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** First match wins; no match allows. 2026-11-23 is a Monday. */
class AccessRulesTest {
  static final LocalDateTime MONDAY_10 = LocalDateTime.parse("2026-11-23T10:00");
  static final LocalDateTime MONDAY_20 = LocalDateTime.parse("2026-11-23T20:00");

  final AccessRules rules = AccessRules.of(List.of(
      new AccessRuleConfig("updates-allowed", "allow", List.of("update.videos.example"),
          Optional.empty(), Optional.empty()),
      new AccessRuleConfig("no-video-office-hours", "deny", List.of("*.videos.example"),
          Optional.of("mon-fri 08:00-16:00"), Optional.empty()),
      new AccessRuleConfig("social-to-intranet", "redirect", List.of("social.example"),
          Optional.empty(), Optional.of("http://intranet.office/rules.html"))));

  @Test
  void aRuleBitesOnlyInsideItsWindow() {
    assertThat(rules.decide("www.videos.example", MONDAY_10))
        .isEqualTo(new AccessRules.Deny("no-video-office-hours"));
    assertThat(rules.decide("www.videos.example", MONDAY_20))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }

  @Test
  void theFirstMatchingRuleWins() {
    assertThat(rules.decide("update.videos.example", MONDAY_10))
        .isEqualTo(new AccessRules.Allow(Optional.of("updates-allowed")));
  }

  @Test
  void aWildcardCoversTheBareDomainToo() {
    assertThat(rules.decide("videos.example", MONDAY_10))
        .isEqualTo(new AccessRules.Deny("no-video-office-hours"));
    assertThat(rules.decide("videos.example.org", MONDAY_10))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }

  @Test
  void aRedirectRuleGivesItsLocation() {
    assertThat(rules.decide("SOCIAL.example.", MONDAY_20))
        .isEqualTo(new AccessRules.Redirect("social-to-intranet", "http://intranet.office/rules.html"));
  }

  @Test
  void noRulesAllowEverything() {
    assertThat(AccessRules.of(List.of()).decide("anything.example", MONDAY_10))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }
}
