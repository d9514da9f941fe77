package gateway.app.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code gateway.jar} as a child process, the way an admin runs it: {@code java
 * [jvmOptions] -jar gateway.jar run --config FILE}, standard output and error together in one file.
 * {@link #close()} stops it as an admin would (SIGTERM, then SIGKILL after 30 s).
 *
 * <pre>{@code
 * Files.writeString(config, GatewayProcess.loopbackConfig(port, adminPort, origin.port(), accessLog)
 *     + "cache.memory = 64MiB\n");
 * try (GatewayProcess gateway = GatewayProcess.start(config, dir.resolve("gateway.out"), "-Xmx64m")) {
 *   gateway.awaitLine("gateway running");
 *   ...
 * }
 * }</pre>
 */
public final class GatewayProcess implements AutoCloseable {
  /** The jar {@code mvn package} builds; the ITs run from gateway-app. */
  public static final Path JAR = Path.of("target", "gateway.jar").toAbsolutePath();

  static final long AWAIT_SECONDS = 30;

  private final Process process;
  private final Path output;

  private GatewayProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * The six lines every loopback test config starts with: the proxy and admin listeners on
   * 127.0.0.1, loopback clients, one uplink {@code lo} on 127.0.0.1 probed at {@code healthPort} on
   * 127.0.0.1 (so nothing leaves the machine), and the access log. Append the test's own lines.
   */
  public static String loopbackConfig(int port, int adminPort, int healthPort, Path accessLog) {
    return """
        listen = "127.0.0.1:%d"
        admin.listen = "127.0.0.1:%d"
        clients.allow = ["127.0.0.0/8"]
        uplinks = [{ name = lo, address = "127.0.0.1" }]
        health.targets = ["tcp://127.0.0.1:%d"]
        log.access = "%s"
        """
        .formatted(port, adminPort, healthPort, accessLog);
  }

  /** {@code java [jvmOptions] -jar gateway.jar [args]}, with this JVM's java. */
  public static List<String> javaJar(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    return command;
  }

  /** Starts {@code gateway run --config config}, its output into {@code output}; does not wait. */
  public static GatewayProcess start(Path config, Path output, String... jvmOptions)
      throws IOException {
    return start(javaJar(List.of(jvmOptions), "run", "--config", config.toString()), output);
  }

  /**
   * Starts {@code command} (a {@link #javaJar} line, perhaps behind a prefix such as ip netns
   * exec).
   */
  public static GatewayProcess start(List<String> command, Path output) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new GatewayProcess(p, output);
  }

  /** Waits up to 30 s for {@code text} in the output; fails with the output if it exits first. */
  public void awaitLine(String text) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(AWAIT_SECONDS);
    while (System.nanoTime() < until) {
      if (output().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("gateway exited " + process.exitValue() + ":\n" + output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + text + "' within " + AWAIT_SECONDS + " s:\n" + output());
  }

  /** Standard output and error so far. */
  public String output() throws IOException {
    return Files.readString(output);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int exitValue() {
    return process.exitValue();
  }

  public boolean waitFor(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** SIGTERM: the gateway drains and exits. Does not wait. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL. Does not wait. */
  public void kill() {
    process.destroyForcibly();
  }

  /** SIGHUP: the gateway reloads its config file. */
  public void hangup() throws Exception {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid())).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** SIGTERM, up to 30 s to drain and exit, then SIGKILL. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(AWAIT_SECONDS, TimeUnit.SECONDS);
    process.destroyForcibly();
  }
}
