package gateway.app.admin;

import static gateway.app.testing.GatewayProcess.freePort;
import static gateway.app.testing.GatewayProcess.loopbackConfig;

import gateway.app.Gateway;
import gateway.core.config.ConfigLoader;
import gateway.proxy.testing.TestOrigin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A whole gateway in this JVM with one uplink, {@code lo}, on 127.0.0.1, probed at a test origin
 * that also serves the test's requests: nothing leaves the machine. {@code extra} HOCON is appended
 * to the config.
 */
public final class LoopbackGateway implements AutoCloseable {
  final TestOrigin origin;
  public final Gateway gateway;
  final Path accessLog;
  final HttpClient http =
      HttpClient.newBuilder()
          .proxy(HttpClient.Builder.NO_PROXY)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public LoopbackGateway(Path dir, String extra) throws Exception {
    origin = TestOrigin.start();
    accessLog = dir.resolve("access.log");
    Path config = dir.resolve("gateway.conf");
    Files.writeString(
        config,
        loopbackConfig(freePort(), freePort(), origin.port(), accessLog)
            + """
        health { interval = 200ms, up-after = 1 }
        shutdown.drain = 1s
        %s
        """
                .formatted(extra));
    gateway = Gateway.start(ConfigLoader.load(config));
  }

  public InetSocketAddress admin() {
    return gateway.adminAddress();
  }

  String adminUrl(String path) {
    return "http://127.0.0.1:" + admin().getPort() + path;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(adminUrl(path))).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request through the proxy to the origin (a "local" destination: loopback is this box's). */
  HttpResponse<String> throughProxy(String path) throws IOException, InterruptedException {
    HttpClient viaProxy =
        HttpClient.newBuilder().proxy(ProxySelector.of(gateway.proxyAddress())).build();
    return viaProxy.send(
        HttpRequest.newBuilder(URI.create(origin.url(path)))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws Exception {
    gateway.stop();
    origin.close();
  }
}
