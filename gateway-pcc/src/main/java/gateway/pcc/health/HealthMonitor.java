package gateway.pcc.health;

import gateway.core.config.HealthConfig;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every uplink every {@code health.interval} and keeps its {@link UplinkHealth}; tells the
 * caller which uplinks are available whenever that set changes.
 *
 * <p>All state lives on one event loop. Each tick starts one round per uplink: every target probed in
 * parallel, the round passing when {@code health.reliability} targets answered (capped at the number of
 * targets). Rounds of one uplink never overlap: a tick that comes while the previous round still runs
 * starts its round as soon as that one ends, so a dead uplink (whose rounds last the whole timeout)
 * is still judged about once an interval. Finding a dead uplink fast: an uplink in use that fails a
 * round is probed again at once rather than at the next tick, and once its RTT is known its probes
 * time out after eight round trips (at least 500 ms, at most {@code health.timeout}); with the
 * defaults a blackholed uplink leaves selection in about 1.5 to 2.5 s. Each state change is logged as one line (WARN when an uplink
 * leaves selection, INFO when it returns, see {@link StateChange#logLine()}) and kept in a short
 * history for the status page.
 *
 * <p>Every uplink starts UP (see {@link UplinkHealth}), so {@code availableChanged} is not called at
 * start: the caller starts with every uplink available. It is called on the monitor's event loop with
 * the new set (uplinks in the order given) each time it changes; the caller swaps in {@code
 * UplinkSelector.withAvailable(set)}. Tiers are the selector's business.
 *
 * <p>icmp targets need a {@code ping} command; without one they are skipped (one WARN at
 * construction). With no target left, no rounds run and only passive evidence can take an uplink out.
 */
public final class HealthMonitor {
  /** State changes kept per uplink for the status page. */
  public static final int HISTORY = 20;
  /** The shortest probe timeout, however small the RTT: a loaded link may take this long. */
  public static final Duration MIN_TIMEOUT = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

  private final EventLoop loop;
  // health.*: a reload may change them (on the loop, see reconfigure).
  private Duration interval;
  private int reliability;
  private List<ProbeTarget> targets;
  private Duration timeout;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final Consumer<Set<String>> availableChanged;
  private final ExecutorService blocking;
  private final Map<String, Tracked> uplinks = new LinkedHashMap<>();

  private volatile Map<String, UplinkState> states;
  private volatile Set<String> available;
  private ScheduledFuture<?> ticks;
  private boolean stopped;
  /** {@link #start} was called: a reload's new uplinks are probed at once. */
  private boolean started;
  private int roundsInFlight;
  private Promise<Void> drained;

  /** One uplink's machine and what the status page shows of it. Used on the loop only. */
  private static final class Tracked {
    /** The uplink as configured now: a reload may change its weight, tier and targets. */
    Uplink uplink;
    final UplinkHealth health;
    final Deque<StateChange> history = new ArrayDeque<>();
    Optional<RoundResult> lastRound = Optional.empty();
    boolean inFlight;
    List<ProbeTarget> targets;
    /** A tick came while a round was still running. */
    boolean overdue;
    long changes;
    /** A reload removed or replaced this uplink: a round still running is dropped when it ends. */
    boolean retired;

    Tracked(Uplink uplink, HealthPolicy policy, List<ProbeTarget> targets, HealthState initial) {
      this.uplink = uplink;
      this.targets = targets;
      this.health = new UplinkHealth(uplink.name(), policy, initial);
    }
  }

  /**
   * A monitor for {@code uplinks} on {@code loop} (its transport decides epoll or NIO sockets).
   *
   * @param ownTargets per uplink name, probe targets that replace {@code health.targets} for it
   * @param nanoTime the monotonic clock probe RTTs are measured with
   * @param clock the wall clock state changes are stamped with
   * @param availableChanged called on {@code loop} with the available uplinks' names when they change
   */
  public HealthMonitor(HealthConfig config, HealthPolicy policy, List<Uplink> uplinks,
      Map<String, List<String>> ownTargets, EventLoop loop, LongSupplier nanoTime, Clock clock,
      Consumer<Set<String>> availableChanged) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.interval = config.interval();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.availableChanged = Objects.requireNonNull(availableChanged, "availableChanged");
    this.blocking = blockingExecutor();
    this.timeout = config.timeout();
    this.nanoTime = nanoTime;
    this.targets = probeTargets(config.targets());
    this.reliability = config.reliability();
    for (Uplink u : uplinks) {
      List<String> own = ownTargets.getOrDefault(u.name(), List.of());
      List<ProbeTarget> ts = own.isEmpty() ? targets : probeTargets(own);
      if (this.uplinks.put(u.name(), new Tracked(u, policy, ts, HealthState.UP)) != null) {
        throw new IllegalArgumentException("two uplinks are named '" + u.name() + "'");
      }
    }
    this.available = computeAvailable();
    this.states = snapshot();
  }

  /** A monitor with the policy of {@code config}, the system clocks. */
  public HealthMonitor(HealthConfig config, List<Uplink> uplinks,
      Map<String, List<String>> ownTargets, EventLoop loop, Consumer<Set<String>> availableChanged) {
    this(config, HealthPolicy.of(config), uplinks, ownTargets, loop, System::nanoTime,
        Clock.systemUTC(), availableChanged);
  }

  /** A monitor whose uplinks all probe {@code health.targets}. */
  public HealthMonitor(HealthConfig config, List<Uplink> uplinks, EventLoop loop,
      Consumer<Set<String>> availableChanged) {
    this(config, uplinks, Map.of(), loop, availableChanged);
  }

  /** Parses targets; icmp ones are skipped (one WARN) where there is no ping command. */
  private static List<ProbeTarget> probeTargets(List<String> texts) {
    List<ProbeTarget> ps = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String t : texts) {
      ProbeTarget target = ProbeTarget.parse(t);
      if (target instanceof ProbeTarget.Icmp && !IcmpProbe.available()) {
        skipped.add(t);
      } else {
        ps.add(target);
      }
    }
    if (!skipped.isEmpty()) {
      log.warn("icmp unavailable: no ping command on this system; skipping health targets {}",
          skipped);
    }
    return List.copyOf(ps);
  }

  /**
   * Applies a reloaded config: {@code health.*}, and the uplinks to probe. An uplink that stays (same
   * name, address and interface) keeps its state, counts, statistics and history, and takes its new
   * weight, tier, targets and thresholds. An uplink new by name, or whose address or interface changed,
   * starts afresh: UP, or DOWN when its name is in {@code startDown} (then it needs {@code up-after}
   * good rounds before it is available); its first round runs at once. A removed uplink is no longer
   * probed. A changed {@code interval} restarts the ticks.
   *
   * <p>{@code availableChanged} is not called for the change a reload makes: the future gives the
   * available set afterwards, on the monitor's loop, for the caller to build its selection from (and
   * later changes are reported as usual).
   */
  public Future<Set<String>> reconfigure(HealthConfig config, HealthPolicy policy,
      List<Uplink> next, Map<String, List<String>> ownTargets, Set<String> startDown) {
    List<ProbeTarget> common = probeTargets(config.targets());
    Map<String, List<ProbeTarget>> own = new LinkedHashMap<>();
    for (Uplink u : next) {
      List<String> texts = ownTargets.getOrDefault(u.name(), List.of());
      own.put(u.name(), texts.isEmpty() ? common : probeTargets(texts));
    }
    Promise<Set<String>> done = loop.newPromise();
    loop.execute(() -> {
      try {
        apply(config, policy, next, common, own, startDown);
        done.setSuccess(available);
      } catch (RuntimeException e) {
        done.setFailure(e);
      }
    });
    return done;
  }

  /** {@link #reconfigure} on the loop. */
  private void apply(HealthConfig config, HealthPolicy policy, List<Uplink> next,
      List<ProbeTarget> common, Map<String, List<ProbeTarget>> own, Set<String> startDown) {
    if (stopped) {
      return;
    }
    java.time.Instant now = clock.instant();
    Map<String, Tracked> kept = new LinkedHashMap<>();
    List<Tracked> fresh = new ArrayList<>();
    for (Uplink u : next) {
      Tracked t = uplinks.get(u.name());
      boolean samePath = t != null && t.uplink.address().equals(u.address())
          && t.uplink.interfaceName().equals(u.interfaceName());
      if (samePath && !startDown.contains(u.name())) {
        t.uplink = u;
        t.targets = own.get(u.name());
        Tracked keptOne = t;
        t.health.policy(policy, now).ifPresent(c -> record(keptOne, c));
      } else {
        if (t != null) {
          t.retired = true;
        }
        t = new Tracked(u, policy, own.get(u.name()),
            startDown.contains(u.name()) ? HealthState.DOWN : HealthState.UP);
        fresh.add(t);
      }
      if (kept.put(u.name(), t) != null) {
        throw new IllegalArgumentException("two uplinks are named '" + u.name() + "'");
      }
    }
    uplinks.values().forEach(t -> t.retired |= kept.get(t.uplink.name()) != t);
    uplinks.clear();
    uplinks.putAll(kept);
    boolean newInterval = !config.interval().equals(interval);
    interval = config.interval();
    timeout = config.timeout();
    reliability = config.reliability();
    targets = common;
    boolean anyTargets = uplinks.values().stream().anyMatch(t -> !t.targets.isEmpty());
    if (ticks != null && (newInterval || !anyTargets)) {
      ticks.cancel(false);
      ticks = null;
    }
    if (ticks == null && anyTargets && started) {
      ticks = loop.scheduleAtFixedRate(this::tick, interval.toNanos(), interval.toNanos(),
          TimeUnit.NANOSECONDS);
    }
    if (started) {
      fresh.forEach(t -> round(t));
    }
    available = computeAvailable();
    states = snapshot();
  }

  /** Starts probing: the first round at once, then one every interval. */
  public HealthMonitor start() {
    loop.execute(() -> {
      started = true;
      if (stopped || ticks != null
          || uplinks.values().stream().allMatch(t -> t.targets.isEmpty())) {
        return;
      }
      ticks = loop.scheduleAtFixedRate(this::tick, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    });
    return this;
  }

  /**
   * Stops probing. The future completes once the rounds in flight have ended (within the probe
   * timeout); their results are dropped.
   */
  public Future<Void> stop() {
    Promise<Void> done = loop.newPromise();
    loop.execute(() -> {
      stopped = true;
      if (ticks != null) {
        ticks.cancel(false);
      }
      blocking.shutdown();
      if (roundsInFlight == 0) {
        done.setSuccess(null);
      } else {
        drained = done;
      }
    });
    return done;
  }

  /** The uplinks currently available (UP), in the order given. Any thread. */
  public Set<String> available() {
    return available;
  }

  /** Every uplink's state, for the status page. Any thread. */
  public Map<String, UplinkState> states() {
    return states;
  }

  /**
   * Passive evidence from client traffic: a client's upstream connect through {@code uplink} succeeded
   * or failed. Any thread. The RTT is not mixed into the probe statistics (clients reach many origins
   * at many distances).
   */
  public void connectOutcome(String uplink, boolean ok, Duration rtt) {
    evidence(uplink, ok ? Passive.CONNECTED : Passive.CONNECT_FAILED);
  }

  /** Passive evidence: a connect through {@code uplink} stalled and another uplink's race won. */
  public void lostRace(String uplink) {
    evidence(uplink, Passive.LOST_RACE);
  }

  private void evidence(String uplink, Passive evidence) {
    if (loop.inEventLoop()) {
      Tracked t = uplinks.get(uplink);
      if (t != null && !stopped) {
        t.health.passive(evidence, clock.instant()).ifPresent(c -> changed(t, c));
      }
    } else {
      loop.execute(() -> evidence(uplink, evidence));
    }
  }

  /**
   * The probe timeout for the next round: {@code health.timeout}, or less once the uplink's RTT is
   * known: eight times its median RTT, at least {@link #MIN_TIMEOUT}. A probe that takes eight times
   * the usual round trip is as good as lost, and a short timeout finds a dead uplink sooner.
   */
  private Duration probeTimeout(Tracked t) {
    Optional<Duration> rtt = t.health.stats().rttMedian();
    if (rtt.isEmpty()) {
      return timeout;
    }
    Duration adaptive = rtt.get().multipliedBy(8);
    if (adaptive.compareTo(MIN_TIMEOUT) < 0) {
      adaptive = MIN_TIMEOUT;
    }
    return adaptive.compareTo(timeout) < 0 ? adaptive : timeout;
  }

  private void tick() {
    for (Tracked t : uplinks.values()) {
      if (!t.inFlight) {
        round(t);
      } else {
        // A dead uplink's round lasts the whole timeout; with timeout = interval it would otherwise
        // miss every other tick and detection would take twice as long.
        t.overdue = true;
      }
    }
  }

  private void round(Tracked t) {
    t.inFlight = true;
    roundsInFlight++;
    List<ProbeTarget> targets = t.targets;
    if (targets.isEmpty()) {
      t.inFlight = false;
      roundsInFlight--;
      return;
    }
    TargetResult[] results = new TargetResult[targets.size()];
    int[] pending = {targets.size()};
    ProbeContext context = new ProbeContext(probeTimeout(t), nanoTime, blocking);
    for (int i = 0; i < targets.size(); i++) {
      int index = i;
      Probe.of(targets.get(i), context).run(t.uplink, loop).addListener(f -> {
        @SuppressWarnings("unchecked")
        TargetResult r = ((Future<TargetResult>) f).getNow();
        results[index] = r;
        if (--pending[0] == 0) {
          roundDone(t, RoundResult.of(List.of(results), reliability));
        }
      });
    }
  }

  private void roundDone(Tracked t, RoundResult round) {
    t.inFlight = false;
    roundsInFlight--;
    if (stopped || t.retired) {
      if (roundsInFlight == 0 && drained != null) {
        drained.trySuccess(null);
      }
      return;
    }
    boolean suspect = !round.passed() && t.health.state() != HealthState.DOWN;
    if (t.overdue || suspect) {
      // The tick that came while this round ran starts its round now, so rounds stay back to back;
      // and an uplink that just failed a round while still in use is checked again at once.
      t.overdue = false;
      loop.execute(() -> {
        if (!stopped && !t.inFlight && !t.retired) {
          round(t);
        }
      });
    }
    t.lastRound = Optional.of(round);
    Optional<StateChange> change = t.health.round(round, clock.instant());
    if (change.isPresent()) {
      changed(t, change.get());
    } else {
      states = snapshot();
    }
  }

  private void changed(Tracked t, StateChange change) {
    record(t, change);
    Set<String> now = computeAvailable();
    if (!now.equals(available)) {
      available = now;
      try {
        availableChanged.accept(now);
      } catch (RuntimeException e) {
        log.error("availableChanged listener failed", e);
      }
    }
  }

  /** Logs a state change and keeps it in the uplink's history. */
  private void record(Tracked t, StateChange change) {
    if (change.warning()) {
      log.warn(change.logLine());
    } else {
      log.info(change.logLine());
    }
    t.history.addLast(change);
    t.changes++;
    while (t.history.size() > HISTORY) {
      t.history.removeFirst();
    }
    states = snapshot();
  }

  private Set<String> computeAvailable() {
    Set<String> names = new LinkedHashSet<>();
    uplinks.values().forEach(t -> {
      if (t.health.state().available()) {
        names.add(t.uplink.name());
      }
    });
    return Collections.unmodifiableSet(names);
  }

  private Map<String, UplinkState> snapshot() {
    Map<String, UplinkState> m = new LinkedHashMap<>();
    uplinks.forEach((name, t) -> m.put(name, new UplinkState(name, t.health.state(),
        t.health.stats(), t.lastRound, List.copyOf(t.history), t.changes)));
    return Collections.unmodifiableMap(m);
  }

  private static ExecutorService blockingExecutor() {
    // Four threads at most, idle ones end: pings of several uplinks run side by side.
    ThreadPoolExecutor e = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread th = new Thread(r, "health-blocking");
          th.setDaemon(true);
          return th;
        });
    e.allowCoreThreadTimeOut(true);
    return e;
  }
}
