package gateway.app.testbed;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The project's network testbed (testbed/*.sh): a LAN client, the gateway box, two NATing ISPs and
 * an origin in Linux network namespaces, all in 198.18.0.0/15. Needs root, iproute2, nftables and
 * python3; a test without them is skipped with the reason.
 */
final class Testbed implements AutoCloseable {
  static final Path DIR = Path.of("..", "testbed").toAbsolutePath().normalize();
  static final Path JAR = Path.of("target", "gateway.jar").toAbsolutePath();

  private final Properties addresses = new Properties();
  private final Path tmp;
  private final Map<String, String> env;
  private final List<GatewayProcess> gateways = new ArrayList<>();

  private Testbed(Path tmp, Map<String, String> env) throws IOException {
    this.tmp = tmp;
    this.env = Map.copyOf(env);
    try (Reader r = Files.newBufferedReader(DIR.resolve("addresses.properties"))) {
      addresses.load(r);
    }
    String prefix = env.get("TB_NS_PREFIX");
    if (prefix != null) {
      // The scripts name the namespaces from the prefix (env.sh); the properties hold the default.
      for (String ns : List.of("LAN", "GW", "ISP1", "ISP2", "INET")) {
        addresses.setProperty("TB_NS_" + ns, prefix + ns.toLowerCase(Locale.ROOT));
      }
    }
  }

  /** Skips the calling test unless this machine can build the testbed. */
  static void assumeAvailable() {
    assumeTrue("root".equals(System.getProperty("user.name")), "the testbed needs root");
    for (String tool : List.of("ip", "nft", "python3")) {
      assumeTrue(onPath(tool), "the testbed needs " + tool);
    }
    assumeTrue(Files.exists(JAR), "the testbed runs the packaged " + JAR);
  }

  /** Builds the namespaces (idempotent) and starts the origin. */
  static Testbed up(Path tmp) throws IOException, InterruptedException {
    return up(tmp, Map.of());
  }

  /**
   * Builds the namespaces with the scripts' options in {@code env} ({@code TB_NS_PREFIX} for a
   * testbed of its own beside the shared one, {@code TB_GW_FORWARD=1}...) and starts the origin.
   */
  static Testbed up(Path tmp, Map<String, String> env) throws IOException, InterruptedException {
    Testbed tb = new Testbed(tmp, env);
    tb.script(Duration.ofSeconds(60), "up.sh");
    tb.script(Duration.ofSeconds(20), "origin-start.sh");
    return tb;
  }

  /** The origin's event log (testbed/README.md, "The origin"). */
  Path originLog() {
    return tmp.resolve("tb").resolve("origin.log");
  }

  String get(String key) {
    String v = addresses.getProperty(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key + " in addresses.properties");
    }
    return v;
  }

  /** Starts the gateway inside the gateway namespace with this config; returns once it listens. */
  GatewayProcess startGateway(String config) throws IOException, InterruptedException {
    Path conf = Files.createTempFile(tmp, "gateway", ".conf");
    Files.writeString(conf, config);
    return startGateway(conf);
  }

  /** Starts the gateway inside the gateway namespace with this config file. */
  GatewayProcess startGateway(Path conf) throws IOException, InterruptedException {
    Path log = Files.createTempFile(tmp, "gateway", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                get("TB_NS_GW"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                JAR.toString(),
                "run",
                "--config",
                conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    GatewayProcess g = new GatewayProcess(pb.start(), log);
    gateways.add(g);
    g.awaitRunning(Duration.ofSeconds(30));
    return g;
  }

  /** Runs the LAN client (testbed/lan-client.py) in the LAN namespace and reads its counts. */
  LanResult lanClient(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                get("TB_NS_LAN"),
                "python3",
                DIR.resolve("lan-client.py").toString()));
    cmd.addAll(List.of(args));
    String out = run(Duration.ofSeconds(180), cmd);
    return LanResult.parse(out);
  }

  /** Starts the LAN client without waiting for it (a steady load while faults come and go). */
  Process startLanClient(String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                get("TB_NS_LAN"),
                "python3",
                DIR.resolve("lan-client.py").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** Waits (bounded) for a client started by {@link #startLanClient} and reads its counts. */
  static LanResult finish(Process client, Duration limit) throws IOException, InterruptedException {
    byte[] out;
    try (InputStream in = client.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!client.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      client.destroyForcibly();
      throw new IOException("lan-client.py did not finish within " + limit);
    }
    return LanResult.parse(new String(out, StandardCharsets.UTF_8));
  }

  /** Runs {@code gateway args...} (the packaged jar) in the gateway namespace; its output. */
  String gatewayCommand(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "ip",
                "netns",
                "exec",
                get("TB_NS_GW"),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString()));
    cmd.addAll(List.of(args));
    return run(Duration.ofSeconds(30), cmd);
  }

  /**
   * Runs {@code command} in namespace {@code ns} (a TB_NS_* key); its output (exit 0 or throws).
   */
  String in(String nsKey, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", get(nsKey)));
    cmd.addAll(List.of(command));
    return run(Duration.ofSeconds(30), cmd);
  }

  /** Starts {@code command} in namespace {@code ns} (a TB_NS_* key) without waiting for it. */
  Process startIn(String nsKey, String... command) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", get(nsKey)));
    cmd.addAll(List.of(command));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  void fault(String isp, String kind, String... arg) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(DIR.resolve("fault.sh").toString(), isp, kind));
    cmd.addAll(List.of(arg));
    run(Duration.ofSeconds(20), cmd);
  }

  private void script(Duration limit, String name) throws IOException, InterruptedException {
    run(limit, List.of(DIR.resolve(name).toString()));
  }

  private String run(Duration limit, List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("TB_TMPDIR", tmp.resolve("tb").toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(cmd + " did not finish within " + limit);
    }
    String text = new String(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(cmd + " exited " + p.exitValue() + ":\n" + text);
    }
    return text;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    for (GatewayProcess g : gateways) {
      g.stop();
    }
    try {
      script(Duration.ofSeconds(20), "origin-stop.sh");
    } finally {
      script(Duration.ofSeconds(60), "down.sh");
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return Files.isExecutable(Path.of("/usr/sbin", tool))
        || Files.isExecutable(Path.of("/sbin", tool));
  }

  /** What lan-client.py counted. */
  record LanResult(
      Map<String, Integer> ok,
      Map<String, Integer> statuses,
      int failed,
      List<String> errors,
      double elapsed) {
    static LanResult parse(String out) {
      Map<String, Integer> ok = new TreeMap<>();
      Map<String, Integer> statuses = new TreeMap<>();
      List<String> errors = new ArrayList<>();
      int failed = -1;
      double elapsed = 0;
      for (String line : out.split("\n")) {
        String[] f = line.trim().split(" ");
        switch (f[0]) {
          case "ok" -> ok.put(f[1], Integer.parseInt(f[2]));
          case "status" -> statuses.put(f[1], Integer.parseInt(f[2]));
          case "failed" -> failed = Integer.parseInt(f[1]);
          case "error" -> errors.add(line.substring(6));
          case "elapsed" -> elapsed = Double.parseDouble(f[1]);
          default -> {}
        }
      }
      if (failed < 0) {
        throw new IllegalStateException("lan-client.py printed no result:\n" + out);
      }
      return new LanResult(ok, statuses, failed, errors, elapsed);
    }

    int total() {
      return ok.values().stream().mapToInt(Integer::intValue).sum() + failed;
    }
  }

  /** The gateway's JVM, run in the gateway namespace. */
  static final class GatewayProcess {
    final Process process;
    final Path log;

    GatewayProcess(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    void awaitRunning(Duration limit) throws IOException, InterruptedException {
      long until = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < until) {
        String text = Files.readString(log);
        if (text.contains("gateway running")) {
          return;
        }
        if (!process.isAlive()) {
          throw new IOException("the gateway exited " + process.exitValue() + ":\n" + text);
        }
        Thread.sleep(100);
      }
      throw new IOException(
          "the gateway did not start within " + limit + ":\n" + Files.readString(log));
    }

    String log() throws IOException {
      return Files.readString(log);
    }

    /** SIGTERM, then wait for the drain; SIGKILL only if it hangs. */
    int stop() throws InterruptedException {
      if (!process.isAlive()) {
        return process.exitValue();
      }
      process.destroy();
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
      return process.exitValue();
    }
  }
}
