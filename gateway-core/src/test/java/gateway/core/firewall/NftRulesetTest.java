package gateway.core.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's nftables table, pinned as text (the files beside this class, which {@code
 * NftRulesetKernelTest} also hands to {@code nft -c}). A failure here changes what the kernel does
 * with the LAN's traffic: update the file on purpose, never to make the test pass.
 */
class NftRulesetTest {

  /** The config lines, over {@code transparent.enabled = true} and one LAN. */
  static Stream<Arguments> goldens() {
    return Stream.of(
        Arguments.of("ports = all", "", "ports-all.nft"),
        Arguments.of(
            "a port list, in any order", "transparent.ports = [7777, 80, 443]", "ports-list.nft"),
        Arguments.of(
            "block-quic off: no forward chain",
            "transparent { ports = [80, 443], block-quic = false }",
            "block-quic-off.nft"),
        Arguments.of(
            "several client networks; the IPv6 one is left to the kernel",
            """
            clients.allow = ["198.18.1.0/24", "fd00::/64", "198.18.9.1/22", "198.19.0.7"]
            transparent.listen-port = 4130""",
            "several-clients.nft"),
        Arguments.of(
            "no client networks: an empty set, nobody intercepted",
            "clients.allow = []",
            "no-clients.nft"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void theTableIsTheGoldenText(String kind, String hocon, String golden) throws Exception {
    assertThat(NftRuleset.render(plan(hocon))).isEqualTo(golden(golden));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void aCrashLeavesTheLanRoutedNotBlackholed(String kind, String hocon, String golden)
      throws Exception {
    // nft's tproxy ends its rule when no transparent socket is found: what follows it in the rule
    // does not run, the SYN leaves unmarked and is routed. A mark set before tproxy (or in a rule
    // of its own) would deliver the SYN locally with nobody to answer it.
    List<String> rules = rules(NftRuleset.render(plan(hocon)));
    List<String> tproxy = rules.stream().filter(r -> r.contains("tproxy")).toList();

    assertThat(tproxy).hasSize(1);
    String rule = tproxy.get(0);
    assertThat(rule).startsWith("tcp flags & (fin | syn | rst | ack) == syn ");
    assertThat(rule.indexOf("tproxy")).isLessThan(rule.indexOf("meta mark set"));
    assertThat(rule).endsWith(" accept");
    assertThat(rules)
        .as("the only other mark is for connections a transparent socket already holds")
        .filteredOn(r -> r.contains("meta mark set") && !r.contains("tproxy"))
        .containsExactly(
            "meta l4proto tcp socket transparent 1 meta mark set meta mark | 0x00000100 accept");
  }

  @Test
  void ipv6AndTheBoxItselfReturnBeforeAnyMark() throws Exception {
    List<String> rules = rules(NftRuleset.render(plan("")));

    assertThat(rules.subList(0, 4))
        .containsExactly(
            "type filter hook prerouting priority mangle; policy accept;",
            "meta nfproto ipv6 return",
            "meta nfproto ipv4 ip saddr != @clients4 return",
            "fib daddr type local return");
  }

  @Test
  void theRemovalDeletesTheTableAndWorksWhenItIsAbsent() throws Exception {
    assertThat(NftRuleset.renderRemoval(plan(""))).isEqualTo(golden("removal.nft"));
  }

  @Test
  void theReplaceFormStartsWithTheRemoval() throws Exception {
    FirewallPlan plan = plan("");

    assertThat(NftRuleset.render(plan)).startsWith(NftRuleset.renderRemoval(plan));
  }

  static FirewallPlan plan(String hocon) throws Exception {
    return FirewallPlan.of(
        ConfigLoader.parse(
            "clients.allow = [\"198.18.1.0/24\"]\ntransparent.enabled = true\n" + hocon,
            "test.conf"));
  }

  static String golden(String name) throws IOException {
    try (InputStream in = NftRulesetTest.class.getResourceAsStream(name)) {
      assertThat(in).as(name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The rule lines: trimmed, without comments, braces and set declarations. */
  private static List<String> rules(String text) {
    return text.lines()
        .map(String::trim)
        .filter(l -> !l.startsWith("#") && !l.endsWith("{") && !l.equals("}"))
        .filter(l -> !l.startsWith("set ") && !l.contains("table inet"))
        .toList();
  }
}
