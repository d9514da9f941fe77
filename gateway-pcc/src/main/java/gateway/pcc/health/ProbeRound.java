package gateway.pcc.health;

import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One probe round of one uplink: every target probed in parallel on the monitor's loop, the round
 * passing when {@code reliability} targets answered (capped at the number of targets).
 */
final class ProbeRound {
  private ProbeRound() {}

  /**
   * Probes {@code targets} (at least one) through {@code uplink}; {@code done} runs on the loop.
   */
  static void run(
      List<ProbeTarget> targets,
      Uplink uplink,
      ProbeContext context,
      int reliability,
      EventLoop loop,
      Consumer<RoundResult> done) {
    TargetResult[] results = new TargetResult[targets.size()];
    int[] pending = {targets.size()};
    for (int i = 0; i < targets.size(); i++) {
      int index = i;
      Probe.of(targets.get(i), context)
          .run(uplink, loop)
          .addListener(
              f -> {
                @SuppressWarnings("unchecked")
                TargetResult r = ((Future<TargetResult>) f).getNow();
                results[index] = r;
                if (--pending[0] == 0) {
                  done.accept(RoundResult.of(List.of(results), reliability));
                }
              });
    }
  }

  /** The executor the probes' blocking steps run on (name lookups, {@code ping}). */
  static ExecutorService blockingExecutor() {
    // Four threads at most, idle ones end: pings of several uplinks run side by side.
    ThreadPoolExecutor e =
        new ThreadPoolExecutor(
            4,
            4,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread th = new Thread(r, "health-blocking");
              th.setDaemon(true);
              return th;
            });
    e.allowCoreThreadTimeOut(true);
    return e;
  }
}
