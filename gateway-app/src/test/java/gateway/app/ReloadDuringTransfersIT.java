package gateway.app;

import static gateway.app.testing.GatewayProcess.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import gateway.app.testing.GatewayProcess;
import gateway.proxy.testing.BulkTransfer;
import gateway.proxy.testing.RawOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test: SIGHUP to the packaged gateway.jar while a long download and a long CONNECT
 * tunnel run. The reload changes an access rule, an uplink's weight (and adds an uplink) and the
 * CONNECT ports; the new rule and port apply to new requests at once, the status shows the new
 * uplinks, and both transfers finish with every byte as sent. Then a file with a problem changes
 * nothing and names its line. Everything runs on loopback; health probes go to a loopback origin.
 */
class ReloadDuringTransfersIT {
  /** 24 MiB at about 4 MiB/s: the download lasts about six seconds. */
  static final long DOWNLOAD = 24L << 20;

  /** 12 MiB each way at about 2 MiB/s through the tunnel. */
  static final long TUNNEL = 12L << 20;

  @TempDir Path dir;

  @Test
  void sighupDuringALongDownloadAndALongTunnelAppliesTheNewConfigAndBothFinish() throws Exception {
    CompletableFuture<Void> downloading = new CompletableFuture<>();
    CompletableFuture<Void> echoing = new CompletableFuture<>();
    try (RawOrigin origin = pacedOrigin(DOWNLOAD, 4L << 20, downloading);
        RawOrigin echo = echo(echoing);
        RawOrigin laterPort = echo(new CompletableFuture<>())) {
      int port = freePort();
      int adminPort = freePort();
      Path config = dir.resolve("gateway.conf");
      String before =
          """
          listen = "127.0.0.1:%d"
          admin.listen = "127.0.0.1:%d"
          clients.allow = ["127.0.0.0/8"]
          uplinks = [{ name = lo, address = "127.0.0.1", weight = 1 }]
          health { targets = ["tcp://127.0.0.1:%d"], interval = 200ms, up-after = 2 }
          connect.ports = [%d]
          log.access = "%s"
          shutdown.drain = 5s
          """
              .formatted(port, adminPort, origin.port(), echo.port(), dir.resolve("access.log"));
      Files.writeString(config, before);
      try (GatewayProcess gateway =
          GatewayProcess.start(config, dir.resolve("gateway.out"), "-Xmx256m")) {
        gateway.awaitLine("gateway running");
        InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", port);
        assertThat(get(proxy, origin, "/news")).isEqualTo(200);
        assertThat(connectStatus(proxy, laterPort.port()))
            .as("not an allowed port yet")
            .isEqualTo(403);

        CompletableFuture<Long> download =
            CompletableFuture.supplyAsync(() -> download(proxy, origin));
        CompletableFuture<Long> tunnel =
            CompletableFuture.supplyAsync(() -> tunnel(proxy, echo.port()));
        downloading.get(30, TimeUnit.SECONDS);
        echoing.get(30, TimeUnit.SECONDS);
        Thread.sleep(500);

        Files.writeString(
            config,
            before
                    .replace(
                        "weight = 1 }]", "weight = 3 }, { name = lo2, address = \"127.0.0.2\" }]")
                    .replace(
                        "connect.ports = [" + echo.port() + "]",
                        "connect.ports = [" + echo.port() + ", " + laterPort.port() + "]")
                + """
            access = [{ name = no-news, action = deny, url-regex = ["/news"] }]
            """);
        gateway.hangup();
        gateway.awaitLine("reloaded " + config);
        assertThat(download).as("the download is still under way at the reload").isNotDone();
        assertThat(tunnel).as("the tunnel is still under way at the reload").isNotDone();

        assertThat(get(proxy, origin, "/news")).as("the new rule applies").isEqualTo(403);
        assertThat(get(proxy, origin, "/weather")).isEqualTo(200);
        assertThat(connectStatus(proxy, laterPort.port()))
            .as("the new CONNECT port")
            .isEqualTo(200);
        String status = adminStatus(adminPort);
        assertThat(status)
            .contains("\"name\":\"lo\"")
            .contains("\"name\":\"lo2\"")
            .containsPattern("\"name\":\"lo\",[^}]*\"weight\":3");

        assertThat(download.get(60, TimeUnit.SECONDS))
            .as("every byte of the download")
            .isEqualTo(DOWNLOAD);
        assertThat(tunnel.get(60, TimeUnit.SECONDS))
            .as("every byte through the tunnel")
            .isEqualTo(TUNNEL);
        assertThat(gateway.output()).contains("uplink lo2 added by reload");

        // A file with a problem: refused whole, the line named, the rules in force stay.
        Files.writeString(
            config,
            before
                + """
            access = [{ name = broken, action = deny, ports = [eighty] }]
            """);
        gateway.hangup();
        gateway.awaitLine("reload refused");
        assertThat(gateway.output())
            .contains(config + ":9: access[0].ports[0]: expected a whole number, found 'eighty'");
        assertThat(get(proxy, origin, "/news")).as("the rule in force stays").isEqualTo(403);
        assertThat(connectStatus(proxy, laterPort.port())).isEqualTo(200);
      }
    }
  }

  static int get(InetSocketAddress proxy, RawOrigin origin, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(proxy, 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("GET http://127.0.0.1:"
                      + origin.port()
                      + path
                      + " HTTP/1.1\r\nHost: 127.0.0.1:"
                      + origin.port()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return status(BulkTransfer.readHead(s.getInputStream()));
    }
  }

  static int connectStatus(InetSocketAddress proxy, int port) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(proxy, 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write(
              ("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      return status(BulkTransfer.readHead(s.getInputStream()));
    }
  }

  static int status(String head) {
    return Integer.parseInt(head.substring(9, 12));
  }

  static String adminStatus(int adminPort) throws Exception {
    HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/api/status"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** Downloads the paced body through the proxy; returns how many bytes matched the pattern. */
  static long download(InetSocketAddress proxy, RawOrigin origin) {
    try (Socket s = new Socket()) {
      s.connect(proxy, 5000);
      s.setSoTimeout(30_000);
      s.getOutputStream()
          .write(
              ("GET http://127.0.0.1:"
                      + origin.port()
                      + "/big HTTP/1.1\r\nHost: 127.0.0.1:"
                      + origin.port()
                      + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      String head = BulkTransfer.readHead(in);
      if (status(head) != 200) {
        throw new AssertionError(head);
      }
      return readPattern(in, Long.MAX_VALUE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@link #TUNNEL} bytes through a tunnel to the echo and reads them back; returns how many
   * matched.
   */
  static long tunnel(InetSocketAddress proxy, int port) {
    try (Socket s = new Socket()) {
      s.connect(proxy, 5000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      String head = BulkTransfer.readHead(s.getInputStream());
      if (status(head) != 200) {
        throw new AssertionError(head);
      }
      CompletableFuture<Void> sent =
          CompletableFuture.runAsync(
              () -> {
                try {
                  writePattern(out, TUNNEL, 2L << 20);
                  s.shutdownOutput();
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      long got = readPattern(s.getInputStream(), TUNNEL);
      sent.join();
      return got;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte at(long i) {
    return (byte) ((i * 7 + (i >>> 16)) % 251);
  }

  /** Writes {@code size} pattern bytes in 64 KiB pieces at about {@code rate} bytes a second. */
  static void writePattern(OutputStream out, long size, long rate) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    long start = System.nanoTime();
    for (long sent = 0; sent < size; ) {
      int n = (int) Math.min(chunk.length, size - sent);
      for (int k = 0; k < n; k++) {
        chunk[k] = at(sent + k);
      }
      out.write(chunk, 0, n);
      sent += n;
      long due = start + sent * 1_000_000_000L / rate;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        }
      }
    }
    out.flush();
  }

  /** Reads to the end (or {@code max} bytes); fails at the first byte that is not the pattern's. */
  static long readPattern(InputStream in, long max) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long got = 0;
    while (got < max) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, max - got));
      if (n < 0) {
        break;
      }
      for (int k = 0; k < n; k++) {
        if (buf[k] != at(got + k)) {
          throw new AssertionError("byte " + (got + k) + " differs");
        }
      }
      got += n;
    }
    return got;
  }

  /**
   * An HTTP origin that answers {@code /big} with the pattern at a bounded rate (completing {@code
   * streaming} as it starts), and anything else (health probes' connects included) with a short
   * 200.
   */
  static RawOrigin pacedOrigin(long size, long rate, CompletableFuture<Void> streaming)
      throws IOException {
    return RawOrigin.start(
        s -> {
          String head = BulkTransfer.readHead(s.getInputStream());
          OutputStream out = s.getOutputStream();
          if (head.startsWith("GET /big ")) {
            out.write(
                ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                        + size
                        + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            streaming.complete(null);
            writePattern(out, size, rate);
          } else {
            out.write(
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        });
  }

  /**
   * A TCP server that echoes whatever arrives (completing {@code streaming} at the first bytes),
   * then closes when its peer ends its output.
   */
  static RawOrigin echo(CompletableFuture<Void> streaming) throws IOException {
    return RawOrigin.start(
        s -> {
          byte[] buf = new byte[64 * 1024];
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          int n;
          while ((n = in.read(buf)) > 0) {
            streaming.complete(null);
            out.write(buf, 0, n);
          }
        });
  }
}
