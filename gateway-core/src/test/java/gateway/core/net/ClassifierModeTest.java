package gateway.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code balance.classifier} and a pin's {@code classifier}: MikroTik's names, exact, lower case.
 */
class ClassifierModeTest {

  @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
  @CsvSource({
    "src-address, SRC_ADDRESS",
    "dst-address, DST_ADDRESS",
    "both-addresses, BOTH_ADDRESSES",
    "src-port, SRC_PORT",
    "dst-port, DST_PORT",
    "both-ports, BOTH_PORTS",
    "src-address-and-port, SRC_ADDRESS_AND_PORT",
    "dst-address-and-port, DST_ADDRESS_AND_PORT",
    "both-addresses-and-ports, BOTH_ADDRESSES_AND_PORTS",
    "both-address, ",
    "SRC-ADDRESS, ",
    "src_address, ",
    "'', ",
  })
  void isNamedAsMikroTikNamesIt(String name, ClassifierMode expected) {
    assertThat(ClassifierMode.named(name)).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void theDefaultSpreadsPerConnection() {
    assertThat(ClassifierMode.DEFAULT.configName()).isEqualTo("both-addresses-and-ports");
  }
}
