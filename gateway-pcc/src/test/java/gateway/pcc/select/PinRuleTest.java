package gateway.pcc.select;

import static gateway.pcc.select.Uplinks.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import gateway.core.config.PinConfig;
import gateway.core.net.Cidr;
import gateway.core.net.ClassifierMode;
import gateway.core.net.DomainPattern;
import gateway.pcc.classify.Classifier;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PinRuleTest {

  /** One row per case of the domain rule (see DomainPattern). */
  @ParameterizedTest(name = "{0} vs {1} -> {2}")
  @CsvSource({
    "example.org,         example.org,        true",
    "example.org,         EXAMPLE.Org,        true",
    "example.org,         example.org.,       true",
    "example.org.,        example.org,        true",
    "example.org,         www.example.org,    false",
    "example.org,         notexample.org,     false",
    "*.example.org,       www.example.org,    true",
    "*.example.org,       a.b.example.org,    true",
    "*.example.org,       WWW.Example.ORG.,   true",
    "*.example.org,       example.org,        true", // decision: the bare domain too
    "*.example.org,       notexample.org,     false",
    "*.example.org,       .example.org,       false",
    "*.example.org,       example.org.evil,   false",
    "*.example.org,       org,                false",
    "*.Example.ORG,       www.example.org,    true",
  })
  void domainPatterns(String pattern, String host, boolean matches) {
    assertThat(DomainPattern.parse(pattern).matches(host)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource({"*", "*.", "a.*.org", "**.org", "''", ".example.org", "a..org"})
  void malformedDomainsAreRejected(String pattern) {
    assertThatThrownBy(() -> DomainPattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(
      nullValues = "null",
      value = {
        "bank.example,     203.0.113.9,  true",
        "www.bank.example, 203.0.113.9,  true",
        "null,             198.51.100.7, true",
        "other.example,    198.51.100.200, true",
        "other.example,    198.51.101.1, false",
        "null,             203.0.113.9,  false",
      })
  void matchesByDomainOrNetwork(String host, String address, boolean matches) {
    PinRule pin =
        PinRule.of(
            new PinConfig(
                List.of("*.bank.example"),
                List.of(Cidr.parse("198.51.100.0/24")),
                Optional.of("isp1"),
                Optional.empty()));
    assertThat(pin.matches(host, address(address))).isEqualTo(matches);
  }

  @Test
  void aPinNeedsSomethingToMatch() {
    assertThatThrownBy(
            () ->
                PinRule.of(
                    new PinConfig(List.of(), List.of(), Optional.of("isp1"), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("domains or networks");
  }

  @Test
  void aPinNeedsAnAction() {
    assertThatThrownBy(
            () ->
                PinRule.of(
                    new PinConfig(
                        List.of("a.example"), List.of(), Optional.empty(), Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("uplink or a classifier");
  }

  @ParameterizedTest
  @CsvSource({"BOTH_ADDRESSES, BOTH_ADDRESSES", "SRC_ADDRESS, SRC_ADDRESS"})
  void aPinClassifiesWithItsMode(ClassifierMode mode, Classifier expected) {
    PinRule pin =
        PinRule.of(
            new PinConfig(List.of("a.example"), List.of(), Optional.empty(), Optional.of(mode)));
    assertThat(pin.classifier()).contains(expected);
  }
}
