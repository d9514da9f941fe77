package gateway.app.cli;

import gateway.app.admin.Json;
import gateway.core.config.ConfigException;
import gateway.core.config.GatewayConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gateway status}: asks the running gateway's admin listener for {@code /api/status} and
 * prints the uplinks as a table, like {@code mwan3 status}. Exit codes: 0 printed, 1 the gateway
 * did not answer (or answered with an error), 2 the command line was wrong.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Print the uplink table of the running gateway (from its admin listener).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "1:the gateway did not answer", "2:wrong command line"})
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Take admin.listen and admin.token from this config (default: "
              + "/etc/gateway/gateway.conf, else the embedded default 127.0.0.1:3129).")
  Path config;

  @Option(names = "--admin", paramLabel = "HOST:PORT", description = "The admin listener to ask.")
  String admin;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "admin.token, needed when the admin listener is not on this machine's loopback"
              + " (default: the config's, or the GATEWAY_ADMIN_TOKEN environment variable).")
  String token;

  @Override
  public Integer call() {
    InetSocketAddress to;
    Optional<String> secret =
        Optional.ofNullable(token)
            .or(() -> Optional.ofNullable(System.getenv("GATEWAY_ADMIN_TOKEN")));
    try {
      to = AdminAddress.resolve(admin, config, GatewayConfig::adminListen);
      if (secret.isEmpty() && admin == null) {
        secret = ConfigSource.load(config).admin().token();
      }
    } catch (ConfigException e) {
      e.problems().forEach(spec.commandLine().getErr()::println);
      return 2;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("--admin: " + e.getMessage());
      return 2;
    }
    String url = "http://" + AdminAddress.text(to) + "/api/status";
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
    secret.ifPresent(t -> req.header("Authorization", "Bearer " + t));
    HttpResponse<String> r;
    try {
      r =
          HttpClient.newBuilder()
              .proxy(HttpClient.Builder.NO_PROXY)
              .connectTimeout(Duration.ofSeconds(3))
              .build()
              .send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println(
              "gateway not reachable at "
                  + AdminAddress.text(to)
                  + ": "
                  + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                  + " (is it running? is admin.listen "
                  + AdminAddress.text(to)
                  + "?)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
    if (r.statusCode() != 200) {
      spec.commandLine()
          .getErr()
          .println(
              "the admin listener at "
                  + AdminAddress.text(to)
                  + " answered "
                  + r.statusCode()
                  + (r.statusCode() == 401 ? ": give --token" : ""));
      return 1;
    }
    Object doc;
    try {
      doc = Json.parse(r.body());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("not a gateway status document: " + e.getMessage());
      return 1;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> status = (Map<String, Object>) doc;
    spec.commandLine().getOut().print(StatusTable.format(status));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
