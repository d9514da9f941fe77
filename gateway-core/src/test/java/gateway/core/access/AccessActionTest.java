package gateway.core.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code action = allow|deny|redirect}: exact, lower case, as the config writes it. */
class AccessActionTest {

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource({
    "allow, ALLOW",
    "deny, DENY",
    "redirect, REDIRECT",
    "Deny, ",
    "block, ",
    "'', ",
  })
  void isNamedAsTheConfigWritesIt(String name, AccessAction expected) {
    assertThat(AccessAction.named(name)).isEqualTo(Optional.ofNullable(expected));
  }

  @org.junit.jupiter.api.Test
  void theConfigNamesAreTheOnesTheBinderOffers() {
    assertThat(AccessAction.configNames()).containsExactly("allow", "deny", "redirect");
  }
}
