package gateway.app.cli;

import gateway.core.config.ConfigException;
import gateway.core.config.GatewayConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code gateway purge URL}: asks the running gateway to drop {@code URL} from its cache, with
 * {@code PURGE <url> HTTP/1.1} sent to the proxy port (as Squid's {@code squidclient -m PURGE}
 * does). Exit codes: 0 purged (200), 1 not in the cache (404), refused, or the gateway did not
 * answer, 2 the command line was wrong.
 */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description = "Drop a URL from the running gateway's cache.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:purged",
      "1:not in the cache, refused, or the gateway did not answer",
      "2:wrong command line"
    })
public final class PurgeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "URL", description = "The cached URL, e.g. http://example.org/logo.png")
  String url;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Take the proxy address (listen) from this config (default: "
              + "/etc/gateway/gateway.conf, else the embedded default 127.0.0.1:3128).")
  Path config;

  @Option(names = "--proxy", paramLabel = "HOST:PORT", description = "The proxy to ask.")
  String proxy;

  @Override
  public Integer call() {
    URI u;
    try {
      u = URI.create(url);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("not a URL: " + url);
      return 2;
    }
    if (!"http".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
      spec.commandLine()
          .getErr()
          .println("not an http:// URL: " + url + " (https is tunnelled and never cached)");
      return 2;
    }
    InetSocketAddress to;
    try {
      to = AdminAddress.resolve(proxy, config, GatewayConfig::listen);
    } catch (ConfigException e) {
      e.problems().forEach(spec.commandLine().getErr()::println);
      return 2;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("--proxy: " + e.getMessage());
      return 2;
    }
    String statusLine;
    try (Socket s = new Socket()) {
      s.connect(to, 3000);
      s.setSoTimeout(10_000);
      String host = u.getRawAuthority();
      s.getOutputStream()
          .write(
              ("PURGE " + url + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      statusLine = readLine(s.getInputStream());
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println(
              "gateway not reachable at "
                  + AdminAddress.text(to)
                  + ": "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return 1;
    }
    String[] parts = statusLine.split(" ", 3);
    int code = parts.length >= 2 && parts[1].matches("\\d{3}") ? Integer.parseInt(parts[1]) : 0;
    switch (code) {
      case 200 -> {
        spec.commandLine().getOut().println("purged " + url);
        return 0;
      }
      case 404 -> {
        spec.commandLine().getErr().println("not in the cache: " + url);
        return 1;
      }
      case 0 -> {
        spec.commandLine().getErr().println("no HTTP answer from " + AdminAddress.text(to));
        return 1;
      }
      default -> {
        spec.commandLine()
            .getErr()
            .println(
                "the gateway refused: "
                    + statusLine.trim()
                    + (code == 403
                        ? " (PURGE is allowed from this machine's loopback only?)"
                        : ""));
        return 1;
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n' && b.length() < 1024) {
      b.append((char) c);
    }
    return b.toString().strip();
  }
}
