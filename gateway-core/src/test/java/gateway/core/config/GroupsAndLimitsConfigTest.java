package gateway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.access.Regex;
import gateway.core.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Client groups, bandwidth limits, uplinks' max-rate and max-upload-rate, and the response criteria
 * of access rules.
 */
class GroupsAndLimitsConfigTest {
  @TempDir Path dir;

  @Test
  void groupsRatesAndResponseRulesBind() throws Exception {
    GatewayConfig c =
        ConfigLoader.load(
            write(
                """
        clients.groups = [
          { name = guests, networks = ["198.18.88.192/26"] }
          { name = bosses, networks = ["198.18.88.10", "198.18.88.11"] }
        ]
        uplinks = [
          { name = isp1, address = "198.18.1.2", max-rate = 20Mbit, max-upload-rate = 2MiB/s }
          { name = isp2, address = "198.18.2.2" }
        ]
        access = [
          { name = guests-no-video, action = deny, clients = [guests, "198.18.99.0/24"],
            content-types = ["video/*", "Application/X-Bittorrent"], max-size = 50MiB,
            domain-regex = ["^video[0-9]+\\\\."] }
        ]
        limits {
          client-download = 2MiB/s
          client-upload = 512kbit
          groups = [{ group = guests, client-connections = 16, client-download = 1Mbit, group-download = 10Mbit }]
        }
        """));

    assertThat(c.groups())
        .containsExactly(
            new ClientGroupConfig("guests", List.of(Cidr.parse("198.18.88.192/26"))),
            new ClientGroupConfig(
                "bosses", List.of(Cidr.parse("198.18.88.10"), Cidr.parse("198.18.88.11"))));
    assertThat(c.uplinks().get(0).maxRate()).isEqualTo(2_500_000);
    assertThat(c.uplinks().get(0).maxUploadRate()).isEqualTo(2L << 20);
    assertThat(c.uplinks().get(1).maxUploadRate()).as("none unless written").isZero();
    AccessRuleConfig rule = c.access().get(0);
    assertThat(rule.clients())
        .as("the group's networks, then the CIDR")
        .containsExactly(Cidr.parse("198.18.88.192/26"), Cidr.parse("198.18.99.0/24"));
    assertThat(rule.contentTypes()).containsExactly("video/*", "application/x-bittorrent");
    assertThat(rule.maxSize()).hasValue(50L << 20);
    assertThat(rule.domainRegex()).containsExactly(Regex.parseIgnoringCase("^video[0-9]+\\."));
    assertThat(rule.onResponse()).isTrue();
    assertThat(c.limits().clientDownload()).isEqualTo(2L << 20);
    assertThat(c.limits().clientUpload()).isEqualTo(64_000);
    assertThat(c.limits().groups())
        .containsExactly(
            new GroupLimitsConfig(
                "guests",
                OptionalInt.of(16),
                OptionalLong.of(125_000),
                OptionalLong.empty(),
                1_250_000,
                0));
  }

  @Test
  void byDefaultNothingIsLimited() {
    GatewayConfig c = ConfigLoader.embeddedDefault();

    assertThat(c.groups()).isEmpty();
    assertThat(c.limits().clientDownload()).isZero();
    assertThat(c.limits().clientUpload()).isZero();
    assertThat(c.limits().groups()).isEmpty();
  }

  static Stream<Arguments> badInputs() {
    return Stream.of(
        Arguments.of(
            "a rate without a unit",
            """
            limits {
              client-download = 10
            }""",
            2,
            "limits.client-download: '10' is not a rate: a rate needs a unit"
                + " (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no limit)"),
        Arguments.of(
            "a byte rate without /s",
            """
            limits.client-upload = 2MiB""",
            1,
            "limits.client-upload: '2MiB' is not a rate: a rate in"
                + " bytes needs /s, e.g. 2MiB/s (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no limit)"),
        Arguments.of(
            "an uplink's max-rate",
            """
            uplinks = [
              { name = isp1, address = "198.18.1.2", max-rate = fast }
            ]""",
            2,
            "uplinks[0].max-rate: 'fast' is not a rate (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no"
                + " limit)"),
        Arguments.of(
            "an uplink's max-upload-rate in bytes without /s",
            """
            uplinks = [
              { name = isp1, address = "198.18.1.2" }
              { name = isp2, address = "198.18.2.2", max-upload-rate = 1MiB }
            ]""",
            3,
            "uplinks[1].max-upload-rate: '1MiB' is not a rate: a rate in bytes needs /s, e.g."
                + " 1MiB/s (e.g. 10Mbit, 512kbit, 2MiB/s; 0 for no limit)"),
        Arguments.of(
            "limits for an unknown group",
            """
            clients.groups = [{ name = guests, networks = ["198.18.0.0/24"] }]
            limits.groups = [{ group = gusets, client-download = 1Mbit }]""",
            2,
            "limits.groups[0].group: unknown client group 'gusets' (clients.groups: guests)"),
        Arguments.of(
            "a rule naming an unknown group",
            """
            access = [
              { name = r, action = deny, clients = [guests] }
            ]""",
            2,
            "access[0].clients[0]: unknown client group 'guests' (clients.groups defines none)"),
        Arguments.of(
            "a group defined twice",
            """
            clients.groups = [
              { name = guests, networks = ["198.18.0.0/24"] }
              { name = guests, networks = ["198.18.1.0/24"] }
            ]""",
            3,
            "clients.groups[1].name: client group 'guests' is already defined at line 2"),
        Arguments.of(
            "a bad network in a group",
            """
            clients.groups = [
              { name = guests, networks = ["198.18.0.0/33"] }
            ]""",
            2,
            "clients.groups[0].networks[0]: '198.18.0.0/33': prefix must be 0..32"),
        Arguments.of(
            "content-types on an allow rule",
            """
            access = [
              { name = r, action = allow, content-types = ["video/*"] }
            ]""",
            2,
            "access[0]: content-types and max-size are known only once the response comes,"
                + " when the only thing left to do is deny it: they need action = deny, this rule's"
                + " action is allow"),
        Arguments.of(
            "a content type that is not one",
            """
            access = [
              { name = r, action = deny, content-types = ["video"] }
            ]""",
            2,
            "access[0].content-types[0]: 'video' is not a content type (write type/subtype or"
                + " type/*, e.g. video/*, application/zip)"),
        Arguments.of(
            "a bad domain regex",
            """
            access = [
              { name = r, action = deny, domain-regex = ["(video"] }
            ]""",
            2,
            "access[0].domain-regex[0]: '(video' is not a regular expression: Unclosed group"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void eachBadInputIsReportedAtItsFileAndLine(String kind, String hocon, int line, String message)
      throws IOException {
    Path file = write(hocon);

    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(List.of(file + ":" + line + ": " + message));
  }

  private Path write(String hocon) throws IOException {
    Path file = dir.resolve("gateway.conf");
    Files.writeString(file, hocon);
    return file;
  }
}
