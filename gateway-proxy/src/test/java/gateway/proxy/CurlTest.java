package gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gateway.core.log.CacheAction;
import gateway.proxy.testing.RunningProxy;
import gateway.proxy.testing.TestConfigs;
import gateway.proxy.testing.TestOrigin;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real curl binary, as users run it, through the gateway. Skipped only where curl is absent.
 */
class CurlTest {
  TestOrigin origin;
  RunningProxy proxy;

  @BeforeAll
  static void curlIsInstalled() {
    assumeTrue(onPath("curl"), "curl is not installed");
  }

  @BeforeEach
  void start() throws Exception {
    origin = TestOrigin.start();
    proxy = RunningProxy.start(TestConfigs.loopback().withConnectPorts(Set.of(origin.port())));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    origin.close();
  }

  @Test
  void getThroughTheProxy() throws Exception {
    Result r = curl("-x", "http://127.0.0.1:" + proxy.port(), origin.url("/curl?q=1"));

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("GET /curl?q=1 from 127.0.0.1");
    assertThat(origin.next().header("Via")).isEqualTo("1.1 gateway-test");
    assertThat(proxy.nextRecord().action()).isEqualTo(CacheAction.TCP_MISS);
  }

  @Test
  void requestThroughAConnectTunnel() throws Exception {
    // --proxytunnel: curl sends CONNECT and then speaks HTTP to the origin inside the tunnel.
    Result r = curl("-p", "-x", "http://127.0.0.1:" + proxy.port(), origin.url("/tunnelled"));

    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.stdout()).isEqualTo("GET /tunnelled from 127.0.0.1");
    // Inside a tunnel the gateway sees bytes only: no Via is added.
    assertThat(origin.next().header("Via")).isNull();
    var record = proxy.nextRecord();
    assertThat(record.method()).isEqualTo("CONNECT");
    assertThat(record.action()).isEqualTo(CacheAction.TCP_TUNNEL);
  }

  @Test
  void errorPageReachesCurlWithItsStatus() throws Exception {
    Result r =
        curl(
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "-x",
            "http://127.0.0.1:" + proxy.port(),
            "https://127.0.0.1:1/");

    // curl reports the refused CONNECT (port 1 is not in connect.ports) and its status.
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("403");
  }

  record Result(int exitCode, String stdout, String stderr) {}

  private static Result curl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    cmd.addAll(List.of(args));
    Path err = Files.createTempFile("curl", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("curl did not finish within 15 s: " + cmd);
      }
      return new Result(
          p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
