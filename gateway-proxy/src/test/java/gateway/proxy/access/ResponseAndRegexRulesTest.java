package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.access.Regex;
import gateway.core.config.AccessRuleConfig;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Domain regexes, and rules on the response (content types, size), decided at the response head.
 */
class ResponseAndRegexRulesTest {
  static final LocalDateTime NOW = LocalDateTime.parse("2026-11-23T10:00");

  static AccessRuleConfig rule(
      String name,
      AccessAction action,
      List<String> domainRegex,
      List<String> contentTypes,
      OptionalLong maxSize) {
    return new AccessRuleConfig(
        name,
        action,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        List.of(),
        List.of(),
        Optional.empty(),
        List.of(),
        domainRegex.stream().map(Regex::parseIgnoringCase).toList(),
        contentTypes,
        maxSize);
  }

  final AccessRules rules =
      AccessRules.of(
          List.of(
              rule(
                  "no-video",
                  AccessAction.DENY,
                  List.of(),
                  List.of("video/*"),
                  OptionalLong.empty()),
              rule(
                  "cdn-allowed",
                  AccessAction.ALLOW,
                  List.of("^cdn[0-9]*\\.example$"),
                  List.of(),
                  OptionalLong.empty()),
              rule("no-huge", AccessAction.DENY, List.of(), List.of(), OptionalLong.of(50L << 20)),
              rule(
                  "no-trackers",
                  AccessAction.DENY,
                  List.of("(^|\\.)track(er)?s?\\."),
                  List.of(),
                  OptionalLong.empty())));

  @Test
  void aDomainRegexIsSearchedInTheHostIgnoringCase() {
    assertThat(rules.decide(get("Trackers.example.org"), NOW))
        .isEqualTo(new AccessRules.Deny("no-trackers"));
    assertThat(rules.decide(get("ads.track.example"), NOW))
        .isEqualTo(new AccessRules.Deny("no-trackers"));
    assertThat(rules.decide(get("racetrack.example"), NOW))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }

  @Test
  void responseRulesAreLeftOutAtTheRequest() {
    assertThat(rules.hasResponseRules()).isTrue();
    assertThat(rules.decide(get("videos.example"), NOW))
        .isEqualTo(new AccessRules.Allow(Optional.empty()));
  }

  @Test
  void aResponseRuleDeniesWhatItDescribes() {
    assertThat(rules.decideAtResponse(get("videos.example"), response("video/mp4", 1000), NOW))
        .contains(new AccessRules.Deny("no-video"));
    assertThat(
            rules.decideAtResponse(
                get("files.example"), response("application/zip", 60L << 20), NOW))
        .contains(new AccessRules.Deny("no-huge"));
    assertThat(
            rules.decideAtResponse(
                get("files.example"), response("application/zip", 50L << 20), NOW))
        .as("exactly the largest size is allowed")
        .isEmpty();
    assertThat(rules.decideAtResponse(get("files.example"), response("application/zip", -1), NOW))
        .as("no Content-Length: the size is not knowable")
        .isEmpty();
  }

  @Test
  void aResponseRuleBelowTheRuleThatAllowedTheRequestDoesNotApply() {
    // cdn-allowed decided the request; no-video comes before it and still applies, no-huge after it
    // not.
    assertThat(
            rules.decideAtResponse(
                get("cdn1.example"), response("application/zip", 60L << 20), NOW))
        .isEmpty();
    assertThat(rules.decideAtResponse(get("cdn1.example"), response("video/webm", 10), NOW))
        .contains(new AccessRules.Deny("no-video"));
  }

  @Test
  void aTunnelsResponseIsNeverKnown() {
    AccessRules.Request connect =
        new AccessRules.Request(
            InetAddress.getLoopbackAddress(), "CONNECT", "videos.example", 443, true, null);
    assertThat(rules.decideAtResponse(connect, response("video/mp4", 60L << 20), NOW)).isEmpty();
  }

  @ParameterizedTest(name = "{0} covers {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "video/*|video/mp4|true",
        "video/*|VIDEO/MP4; codecs=\"avc1\"|true",
        "video/*|videos/mp4|false",
        "video/*|application/video|false",
        "application/zip|application/zip;charset=x|true",
        "application/zip|application/zipx|false",
        "text/html|''|false"
      })
  void mediaRangesMatchContentTypesAsRfc9110Says(
      String range, String contentType, boolean matches) {
    assertThat(AccessRules.mediaTypeMatches(range, contentType)).isEqualTo(matches);
  }

  static AccessRules.Response response(String type, long length) {
    return new AccessRules.Response(type, length);
  }

  static AccessRules.Request get(String host) {
    return new AccessRules.Request(
        InetAddress.getLoopbackAddress(), "GET", host, 80, false, "http://" + host + "/");
  }
}
