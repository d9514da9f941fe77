package gateway.pcc.health;

import static org.assertj.core.api.Assertions.assertThat;

import gateway.core.net.ProbeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Decide in a pure function: the health state machine and its values import no Netty and do no I/O.
 * (The probes and the monitor, in the same package, are the I/O side.)
 */
class HealthPurityTest {

  @ParameterizedTest
  @ValueSource(strings = {"HealthPolicy", "HealthState", "Passive", "RoundResult",
      "Roster", "RosterChange", "RttWindow", "StateChange", "TargetResult", "UplinkHealth",
      "UplinkState", "WindowStats"})
  void importsNoNettyAndNoIo(String type) throws IOException {
    Path f = Path.of("src/main/java/gateway/pcc/health", type + ".java");
    assertThat(Files.readAllLines(f))
        .as(f.toString())
        .noneMatch(l -> l.startsWith("import io.netty")
            || l.startsWith("import java.nio")
            || l.startsWith("import java.io.")
            || l.startsWith("import java.net.Socket")
            || l.contains("System.nanoTime")
            || l.contains("System.currentTimeMillis")
            || l.contains("Instant.now"));
  }
}
