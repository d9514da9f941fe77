package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code icmp://ip}: one ICMP echo. Java cannot open the raw socket an echo needs, so this runs the
 * system's {@code ping -n -c 1 -W <seconds> -I <interface or address> <ip>} (iputils) on the
 * blocking executor, never on the event loop. {@code -I} names the uplink's interface when it has
 * one (ping then binds to the device, like SO_BINDTODEVICE), else its source address. {@code -W} is
 * whole seconds (older pings accept nothing finer), at least 1; the probe's own deadline still
 * fails it at the timeout. The RTT is the one ping reports ({@code time=...}).
 *
 * <p>Without a {@code ping} on the PATH, {@link #available()} is false and the health monitor skips
 * icmp targets (it says so once, at start).
 */
final class IcmpProbe implements Probe {
  private static final Pattern TIME = Pattern.compile("time[=<]([0-9.]+) ?ms");
  private static final Optional<Path> PING = find("ping");

  private final ProbeTarget.Icmp target;
  private final ProbeContext context;

  IcmpProbe(ProbeTarget.Icmp target, ProbeContext context) {
    this.target = target;
    this.context = context;
  }

  /** Whether a {@code ping} command exists here. */
  static boolean available() {
    return PING.isPresent();
  }

  @Override
  public ProbeTarget target() {
    return target;
  }

  @Override
  public Future<TargetResult> run(Uplink uplink, EventLoop loop) {
    Attempt attempt = new Attempt(loop, target.text(), context);
    if (PING.isEmpty()) {
      loop.execute(() -> attempt.fail("icmp unavailable"));
      return attempt.future();
    }
    List<String> command = command(PING.get().toString(), uplink, target.host(), context.timeout());
    context
        .blocking()
        .execute(
            () -> {
              TargetResult r = ping(command);
              loop.execute(
                  () -> {
                    if (r.ok()) {
                      attempt.passed(r.rtt().orElseThrow());
                    } else {
                      attempt.fail(r.reason());
                    }
                  });
            });
    return attempt.future();
  }

  static List<String> command(String ping, Uplink uplink, String host, Duration timeout) {
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    List<String> c =
        new ArrayList<>(
            List.of(
                ping,
                "-n",
                "-c",
                "1",
                "-W",
                Long.toString(seconds),
                "-I",
                uplink.interfaceName().orElse(uplink.address().getHostAddress())));
    c.add(host);
    return c;
  }

  private TargetResult ping(List<String> command) {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return TargetResult.failed(target.text(), "cannot run ping: " + e.getMessage());
    }
    try {
      p.getOutputStream().close();
      long waitMillis = Math.max(1000, context.timeout().toMillis()) + 1000;
      if (!p.waitFor(waitMillis, TimeUnit.MILLISECONDS)) {
        return TargetResult.failed(target.text(), "timeout");
      }
      String out = read(p.getInputStream());
      if (p.exitValue() == 0) {
        Matcher m = TIME.matcher(out);
        Duration rtt =
            m.find()
                ? Duration.ofNanos((long) (Double.parseDouble(m.group(1)) * 1_000_000))
                : Duration.ZERO;
        return TargetResult.ok(target.text(), rtt);
      }
      if (p.exitValue() == 1) {
        return TargetResult.failed(target.text(), "no reply");
      }
      String first = out.lines().findFirst().orElse("exit " + p.exitValue());
      return TargetResult.failed(target.text(), first.toLowerCase(Locale.ROOT).trim());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return TargetResult.failed(target.text(), "interrupted");
    } catch (IOException e) {
      return TargetResult.failed(target.text(), e.getMessage());
    } finally {
      p.destroyForcibly();
    }
  }

  private static String read(InputStream in) throws IOException {
    return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
  }

  private static Optional<Path> find(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
    return dirs.stream()
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
