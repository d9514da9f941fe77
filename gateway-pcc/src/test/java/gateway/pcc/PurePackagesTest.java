package gateway.pcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decide in a pure function: the classify and select packages import no Netty and do no I/O. */
class PurePackagesTest {

  @ParameterizedTest
  @ValueSource(strings = {"classify", "select"})
  void importsNoNettyAndNoIo(String pkg) throws IOException {
    Path dir = Path.of("src/main/java/gateway/pcc", pkg);
    assertThat(dir).isDirectory();
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
      assertThat(sources).isNotEmpty();
      for (Path f : sources) {
        assertThat(Files.readAllLines(f))
            .as(f.toString())
            .noneMatch(l -> l.startsWith("import io.netty")
                || l.startsWith("import java.nio.file")
                || l.startsWith("import java.io.")
                || l.startsWith("import java.net.Socket")
                || l.startsWith("import java.net.NetworkInterface"));
      }
    }
  }
}
