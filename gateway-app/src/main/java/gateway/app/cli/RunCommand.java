package gateway.app.cli;

import gateway.app.Gateway;
import gateway.core.config.ConfigException;
import gateway.core.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the gateway until SIGTERM (or Ctrl-C), then drains it. SIGHUP reads the config again and
 * reloads the gateway with it; a config with problems is refused whole, each problem logged as
 * {@code file:line: message}, and what is in force stays.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Run the gateway (the default command). Without --config: /etc/gateway/gateway.conf,"
            + " else the embedded default (127.0.0.1:3128, loopback clients).")
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--config", paramLabel = "FILE", description = "The config file (HOCON).")
  public Path config;

  @Override
  public Integer call() {
    Optional<GatewayConfig> loaded = ConfigSource.loadOrReport(config, spec.commandLine().getErr());
    if (loaded.isEmpty()) {
      return 1;
    }
    GatewayConfig cfg = loaded.get();
    Gateway gateway;
    try {
      gateway = Gateway.start(cfg);
    } catch (Exception e) {
      log.error("cannot start: {}", e.getMessage() == null ? e.toString() : e.getMessage());
      return 1;
    }
    // Before the line that says it runs: whoever waits for that line may send SIGHUP right after.
    onHangup(() -> reload(gateway));
    log.info("gateway running from {} on {}", cfg.source(), gateway.proxyAddress());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    gateway.stop();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    stopped.countDown();
                  }
                },
                "shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Loads the config again (the same file, or the same choice without --config) and applies it. */
  void reload(Gateway gateway) {
    GatewayConfig next;
    try {
      next = ConfigSource.load(config);
    } catch (ConfigException e) {
      log.error(
          "reload refused: the config has {} problem(s); the config in force stays",
          e.problems().size());
      e.problems().forEach(p -> log.error("{}", p));
      return;
    } catch (RuntimeException e) {
      log.error("reload refused: {}; the config in force stays", e.toString());
      return;
    }
    try {
      gateway.reload(next);
    } catch (IOException | RuntimeException e) {
      log.error(
          "reload refused: {}; the config in force stays",
          e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /**
   * Runs {@code action} on each SIGHUP (on the JVM's signal thread; one reload at a time). The JDK
   * has no public API for it: sun.misc.Signal (module jdk.unsupported) is what there is.
   */
  @SuppressWarnings("sunapi")
  private static void onHangup(Runnable action) {
    try {
      sun.misc.SignalHandler before =
          sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> action.run());
      if (before == sun.misc.SignalHandler.SIG_IGN) {
        // The JVM leaves a signal the process inherited as ignored alone: no handler, no reload.
        log.warn(
            "SIGHUP is ignored in this process (started with nohup, or by a parent that ignores "
                + "it): a reload needs a restart; start the gateway without nohup to reload with SIGHUP");
      }
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      log.warn("SIGHUP cannot be handled here ({}): reload by restarting", e.getMessage());
    }
  }
}
