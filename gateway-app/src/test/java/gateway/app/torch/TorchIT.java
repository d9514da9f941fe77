package gateway.app.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gateway.app.testing.Cli;
import gateway.app.testing.GatewayProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway torch} capturing for real, on loopback: an uplink configured on {@code lo} with
 * address 127.0.0.2, a transfer at a known rate from 127.0.0.2 to a server on 127.0.0.1, and the
 * flow must show in the table at about that rate. Nothing leaves the machine. Needs root (or
 * CAP_NET_RAW) and libpcap; skipped with a message otherwise (CI runs as root and installs
 * libpcap0.8).
 */
class TorchIT {
  /** The sender's pace: 16 KiB every 10 ms, 13.1 Mbit/s. */
  static final int CHUNK = 16 * 1024;

  static final long CHUNK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  static final double RATE_BITS = CHUNK * 8 * 1e9 / CHUNK_EVERY_NANOS;

  @TempDir Path dir;
  Path config;

  @BeforeEach
  void loopbackUplink() throws IOException {
    config = dir.resolve("gateway.conf");
    // Health probes (never run by torch) aimed at loopback all the same: nothing leaves the
    // machine.
    Files.writeString(
        config,
        """
        uplinks = [{ name = lo-uplink, address = "127.0.0.2", interface = lo }]
        health.targets = ["tcp://127.0.0.1:9"]
        """);
  }

  static boolean mayCapture() throws IOException {
    // CapEff bit 13 is CAP_NET_RAW.
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("CapEff:")) {
        return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 13)) != 0;
      }
    }
    return false;
  }

  static void assumeCaptureWorksHere() throws IOException {
    assumeTrue(
        mayCapture(), "torch IT skipped: capturing needs root or CAP_NET_RAW (CI runs as root)");
    assumeTrue(
        Libpcap.load().isEmpty(),
        "torch IT skipped: libpcap is not installed (apt-get install libpcap0.8; .ci/run does)");
  }

  @Test
  void aKnownTransferOverTheUplinkShowsAsItsFlowAtAboutItsRate() throws Exception {
    assumeCaptureWorksHere();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Socket client = new Socket()) {
      client.bind(new InetSocketAddress("127.0.0.2", 0));
      client.connect(server.getLocalSocketAddress(), 5000);
      Thread sink = sink(server);
      Pacer pacer = new Pacer(client.getOutputStream());
      pacer.start();
      try {
        Cli cli = new Cli();
        int exit =
            cli.run(
                "torch",
                "--config",
                config.toString(),
                "lo-uplink",
                "--once",
                "--interval",
                "2",
                "--top",
                "100000"); // lo is shared: others' flows may be busier

        assertThat(exit).as(cli.err()).isZero();
        String flow =
            "127.0.0.2:" + client.getLocalPort() + " -> " + server.getLocalSocketAddress();
        String row =
            cli.out()
                .lines()
                .filter(
                    l ->
                        l.startsWith("tcp")
                            && l.contains(" 127.0.0.2:" + client.getLocalPort() + " ")
                            && l.contains(" 127.0.0.1:" + server.getLocalPort() + " "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + flow + " in:\n" + cli.out()));
        double tx = rate(row, 0);
        double rx = rate(row, 1);
        assertThat(cli.out()).startsWith("lo-uplink on lo (127.0.0.2), ");
        // Sent from 127.0.0.2 (the uplink's end): tx, at about the sender's pace (a busy machine
        // may drop some packets from the count; the sender may catch up a little).
        assertThat(tx).as(row).isBetween(0.3 * RATE_BITS, 1.6 * RATE_BITS);
        // ACKs come back: some rx, far less than tx.
        assertThat(rx).as(row).isGreaterThan(0).isLessThan(tx / 4);
      } finally {
        pacer.interrupt();
        pacer.join(5000);
        client.close();
        sink.join(5000);
      }
    }
  }

  @Test
  void withoutCapNetRawItSaysWhatToDoAndExits4() throws Exception {
    assumeCaptureWorksHere();
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/setpriv")),
        "skipped: needs setpriv (util-linux) to drop CAP_NET_RAW");
    // Still root, but without the capabilities that capturing needs.
    Result r =
        runJar(
            List.of(
                "setpriv", "--bounding-set=-net_raw,-net_admin", "--inh-caps=-net_raw,-net_admin"),
            List.of(),
            "torch",
            "--config",
            config.toString(),
            "lo-uplink",
            "--once");

    assertThat(r.exit).as(r.output).isEqualTo(4);
    assertThat(r.output)
        .contains("not allowed to capture on lo")
        .contains("needs root or CAP_NET_RAW")
        .contains("setcap cap_net_raw+ep");
  }

  @Test
  void withoutLibpcapItSaysWhatToInstallAndExits3() throws Exception {
    Result r =
        runJar(
            List.of(),
            List.of("-Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so"),
            "torch",
            "--config",
            config.toString(),
            "lo-uplink",
            "--once");

    assertThat(r.exit).as(r.output).isEqualTo(3);
    assertThat(r.output)
        .contains("libpcap is not installed")
        .contains("apt-get install libpcap0.8");
  }

  record Result(int exit, String output) {}

  static Result runJar(List<String> prefix, List<String> jvmOptions, String... args)
      throws Exception {
    List<String> options = new ArrayList<>(List.of("-Xmx128m"));
    options.addAll(jvmOptions);
    List<String> command = new ArrayList<>(prefix);
    command.addAll(GatewayProcess.javaJar(options, args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), output);
  }

  /** The rate in bits per second of the row's {@code which}th rate column (0 tx, 1 rx). */
  static double rate(String row, int which) {
    Matcher m = Pattern.compile("([0-9.]+) (bps|kbps|Mbps|Gbps)").matcher(row);
    for (int i = 0; i <= which; i++) {
      assertThat(m.find()).as(row).isTrue();
    }
    double unit =
        switch (m.group(2)) {
          case "kbps" -> 1e3;
          case "Mbps" -> 1e6;
          case "Gbps" -> 1e9;
          default -> 1;
        };
    return Double.parseDouble(m.group(1)) * unit;
  }

  /** Accepts one connection and reads it to the end. */
  static Thread sink(ServerSocket server) {
    Thread t =
        new Thread(
            () -> {
              try (Socket s = server.accept();
                  InputStream in = s.getInputStream()) {
                in.transferTo(OutputStream.nullOutputStream());
              } catch (IOException e) {
                // the client closed
              }
            },
            "torch-it-sink");
    t.start();
    return t;
  }

  /**
   * Writes one chunk per period on a fixed schedule (catching up after a stall) until interrupted.
   */
  static final class Pacer extends Thread {
    private final OutputStream out;

    Pacer(OutputStream out) {
      super("torch-it-pacer");
      this.out = out;
    }

    @Override
    public void run() {
      byte[] chunk = new byte[CHUNK];
      long due = System.nanoTime();
      try {
        while (!isInterrupted()) {
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          out.write(chunk);
          due += CHUNK_EVERY_NANOS;
        }
      } catch (InterruptedException | IOException e) {
        // stopped
      }
    }
  }
}
