package gateway.proxy.access;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.access.AccessAction;
import gateway.core.access.Regex;
import gateway.core.config.AccessRuleConfig;
import java.net.InetAddress;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** url-regex rules see the URL normalised (RFC 3986 6.2.2), so that no spelling evades them. */
class RuleUrlTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // 6.2.2.1: scheme and host are case-insensitive; percent-encoding hex is upper case.
        "HTTP://Files.EXAMPLE/A         | http://files.example/A",
        "http://h/%c3%a9                | http://h/%C3%A9",
        // 6.2.2.2: encoded unreserved characters are those characters.
        "http://h/%62locked             | http://h/blocked",
        "http://h/%42LOCKED%7e%2D%5f%2e | http://h/BLOCKED~-_.",
        // Encoded / in the path is a / to many servers: decoded for the rules (deny-side safe).
        "http://h/a%2Fb                 | http://h/a/b",
        "http://h/a%2fb?x=%2F           | http://h/a/b?x=%2F",
        // 6.2.2.3: dot segments removed, also when they came encoded.
        "http://h/x/../blocked          | http://h/blocked",
        "http://h/x/%2E%2E/blocked      | http://h/blocked",
        "http://h/x%2F..%2Fblocked      | http://h/blocked",
        "http://h/./a/./b/.             | http://h/a/b/",
        "http://h/../../a               | http://h/a",
        "http://h/a..b/.c               | http://h/a..b/.c",
        // One decoding only (2.4): %25 stays, so %2562 is not %62 nor b.
        "http://h/%2562locked           | http://h/%2562locked",
        // Reserved characters keep their escapes: ? & = # mean something else plain.
        "http://h/a%3Fb%26c%3dd%23e     | http://h/a%3Fb%26c%3Dd%23e",
        // Invalid escapes are kept as written: no decoder makes another character of them.
        "http://h/%zz%4                 | http://h/%zz%4",
        "http://h/100%                  | http://h/100%",
        // The query: unreserved decoded, no dot segments.
        "http://h/p?q=%61/../b          | http://h/p?q=a/../b",
        "http://h                       | http://h",
      })
  void normalises(String raw, String seen) {
    assertThat(RuleUrl.normalise(raw)).isEqualTo(seen);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://files.example/blocked/x",
        "http://files.example/%62locked/x",
        "http://files.example/%62%6C%6F%63%6B%65%64/x",
        "http://files.example/ok/../blocked/x",
        "http://files.example/ok%2F..%2Fblocked/x",
        "http://FILES.example/blocked/x",
      })
  void aUrlRuleCannotBeEvadedByASpelling(String url) throws Exception {
    AccessRules rules =
        AccessRules.of(
            List.of(
                new AccessRuleConfig(
                    "no-blocked",
                    AccessAction.DENY,
                    List.of(),
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    Optional.empty(),
                    List.of(Regex.parse("^http://files\\.example/blocked/")))));
    AccessRules.Request request =
        new AccessRules.Request(
            InetAddress.getByName("192.168.88.10"), "GET", "files.example", 80, false, url);

    assertThat(rules.decide(request, LocalDateTime.parse("2026-11-23T10:00")))
        .isEqualTo(new AccessRules.Deny("no-blocked"));
  }
}
