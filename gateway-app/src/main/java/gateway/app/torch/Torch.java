package gateway.app.torch;

import gateway.core.net.Uplink;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.pcap4j.core.PcapNativeException;

/**
 * {@code gateway torch UPLINK}: the busiest flows on an uplink, live, like MikroTik's Torch. Finds
 * the uplink's interface, captures on it ({@link LiveCapture}), and every interval prints a {@link
 * TorchView} table of the {@link FlowTable}: redrawn in place on a terminal, one table after
 * another (separated by a blank line) otherwise.
 */
public final class Torch {
  /** How long a quiet flow stays listed, as Torch's default entry timeout. */
  static final Duration ENTRY_TIMEOUT = Duration.ofSeconds(3);

  private static final String CLEAR = "\033[H\033[2J";
  private static final String HOME = "\033[H";
  private static final String ERASE_LINE = "\033[K";
  private static final String ERASE_BELOW = "\033[J";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  /**
   * @param top rows to show
   * @param interval time between tables
   * @param duration stop after this long; zero: until interrupted (Ctrl-C)
   * @param once print one table after one interval and stop
   */
  public record Options(int top, Duration interval, Duration duration, boolean once) {}

  private Torch() {}

  /**
   * Runs torch on {@code uplink} and returns the exit code: 0 when it stopped as asked, else a
   * {@link CaptureProblem} code after printing why to {@code err}.
   *
   * @param terminal whether {@code out} is a terminal (redraw in place)
   */
  public static int run(
      Uplink uplink, Options options, PrintWriter out, PrintWriter err, boolean terminal) {
    String device;
    List<InetAddress> own = new ArrayList<>();
    own.add(uplink.address());
    try {
      NetworkInterface nif =
          uplink.interfaceName().isPresent()
              ? NetworkInterface.getByName(uplink.interfaceName().get())
              : NetworkInterface.getByInetAddress(uplink.address());
      if (nif == null) {
        return fail(
            err,
            CaptureProblem.noInterface(
                uplink.interfaceName().isPresent()
                    ? "uplink "
                        + uplink.name()
                        + ": interface "
                        + uplink.interfaceName().get()
                        + " does not exist on this machine"
                    : "uplink "
                        + uplink.name()
                        + ": no interface on this machine holds its address "
                        + uplink.address().getHostAddress()));
      }
      device = nif.getName();
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if (!own.contains(a)) {
          own.add(a);
        }
      }
    } catch (SocketException e) {
      return fail(
          err,
          new CaptureProblem(
              CaptureProblem.FAILED, "cannot list this machine's interfaces: " + e.getMessage()));
    }

    var missing = Libpcap.load();
    if (missing.isPresent()) {
      return fail(err, missing.get());
    }
    FlowTable table = new FlowTable(own, ENTRY_TIMEOUT, System.nanoTime());
    LiveCapture capture;
    try {
      capture = LiveCapture.start(device, table);
    } catch (PcapNativeException e) {
      return fail(
          err, CaptureProblem.openFailed(device, e.getReturnCode(), e.getMessage(), javaBinary()));
    } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
      return fail(err, CaptureProblem.libpcapMissing(String.valueOf(e.getMessage())));
    }

    String title = uplink.name() + " on " + device + " (" + uplink.address().getHostAddress() + ")";
    CountDownLatch done = new CountDownLatch(1);
    Thread ctrlC =
        new Thread(
            () -> {
              capture.close(); // ends the loop below at its next wake-up
              try {
                done.await(2, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "torch-stop");
    Runtime.getRuntime().addShutdownHook(ctrlC);
    try {
      return loop(capture, table, title, options, out, err, terminal);
    } finally {
      capture.close();
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(ctrlC);
      } catch (IllegalStateException e) {
        // already shutting down (Ctrl-C): the hook is running
      }
    }
  }

  private static int loop(
      LiveCapture capture,
      FlowTable table,
      String title,
      Options options,
      PrintWriter out,
      PrintWriter err,
      boolean terminal) {
    long interval = options.interval().toNanos();
    long start = System.nanoTime();
    long end =
        options.once()
            ? start + interval
            : options.duration().isZero() ? Long.MAX_VALUE : start + options.duration().toNanos();
    if (terminal) {
      out.print(CLEAR + title + ": capturing...\n");
      out.flush();
    }
    long next = start + interval;
    long droppedBefore = 0;
    while (true) {
      long now = System.nanoTime();
      if (now < next) {
        try {
          TimeUnit.NANOSECONDS.sleep(Math.min(next, end) - now);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
      }
      if (capture.closed()) {
        return 0; // Ctrl-C
      }
      Throwable failure = capture.failure();
      if (failure != null) {
        err.println("capture stopped: " + failure.getMessage());
        err.flush();
        return CaptureProblem.FAILED;
      }
      now = System.nanoTime();
      FlowTable.Snapshot snapshot;
      synchronized (table) {
        snapshot = table.snapshot(now, options.top());
      }
      long droppedSoFar = capture.dropped();
      long dropped = droppedSoFar - droppedBefore;
      droppedBefore = Math.max(droppedBefore, droppedSoFar);
      String header =
          title
              + ", "
              + LocalTime.now(ZoneId.systemDefault()).format(CLOCK)
              + ", every "
              + seconds(options.interval())
              + (dropped > 0 ? ", " + dropped + " packets not counted (capture too slow)" : "")
              + (terminal ? "; Ctrl-C to stop" : "");
      String text = header + "\n" + TorchView.table(snapshot);
      // On a terminal: over the last table from the top, each line clearing its rest, then the
      // screen below (no blank flash); otherwise tables one after another.
      out.print(
          terminal ? HOME + text.replace("\n", ERASE_LINE + "\n") + ERASE_BELOW : text + "\n");
      out.flush();
      if (now >= end || options.once()) {
        return 0;
      }
      next += interval;
      if (next < now) {
        next = now + interval; // fell behind (suspended): skip, do not burst
      }
    }
  }

  private static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  private static int fail(PrintWriter err, CaptureProblem problem) {
    err.println(problem.message());
    err.flush();
    return problem.exitCode();
  }

  private static String javaBinary() {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    try {
      return java.toRealPath().toString();
    } catch (IOException e) {
      return java.toString();
    }
  }
}
