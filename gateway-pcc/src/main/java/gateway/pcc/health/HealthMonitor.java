package gateway.pcc.health;

import gateway.core.config.HealthConfig;
import gateway.core.net.ProbeTarget;
import gateway.core.net.Uplink;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every uplink every {@code health.interval} and keeps its {@link UplinkHealth}; tells the
 * caller which uplinks are available whenever that set changes.
 *
 * <p>All state lives on one event loop. Each tick starts one round per uplink: every target probed
 * in parallel, the round passing when {@code health.reliability} targets answered (capped at the
 * number of targets). Rounds of one uplink never overlap: a tick that comes while the previous
 * round still runs starts its round as soon as that one ends, so a dead uplink (whose rounds last
 * the whole timeout) is still judged about once an interval. Finding a dead uplink fast: an uplink
 * in use that fails a round is probed again at once rather than at the next tick, and once its RTT
 * is known its probes time out after eight round trips (at least 500 ms, at most {@code
 * health.timeout}); with the defaults a blackholed uplink leaves selection in about 1.5 to 2.5 s.
 * Each state change is logged as one line (WARN when an uplink leaves selection, INFO when it
 * returns, see {@link StateChange#logLine()}) and kept in a short history for the status page.
 *
 * <p>Every uplink starts UP (see {@link UplinkHealth}; a reload's new ones see {@link Roster}), so
 * {@code availableChanged} is not called at start: the caller starts with every uplink available.
 * It is called on the monitor's event loop with the new set (uplinks in the order given) each time
 * it changes; the caller swaps in {@code UplinkSelector.withAvailable(set)}. Tiers are the
 * selector's business.
 *
 * <p>icmp targets need a {@code ping} command; without one they are skipped (one WARN at
 * construction). With no target left, no rounds run and only passive evidence can take an uplink
 * out.
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
  private Duration timeout;
  private final LongSupplier nanoTime;
  private final Clock clock;
  private final Consumer<Set<String>> availableChanged;
  private final ExecutorService blocking;
  private final TrackedRoster roster = new TrackedRoster();

  private volatile Map<String, UplinkState> states;
  private volatile Set<String> available;
  private ScheduledFuture<?> ticks;
  private boolean stopped;

  /** {@link #start} was called: a reload's new uplinks are probed at once. */
  private boolean started;

  private int roundsInFlight;
  private Promise<Void> drained;

  /**
   * What a reload did: each uplink's fate, and the uplinks available afterwards.
   *
   * @param roster what became of each uplink (see {@link Roster})
   * @param available the available uplinks' names once the roster is in force
   */
  public record Reconfigured(RosterChange roster, Set<String> available) {}

  /**
   * A monitor for {@code uplinks} on {@code loop} (its transport decides epoll or NIO sockets).
   *
   * @param ownTargets per uplink name, probe targets that replace {@code health.targets} for it
   * @param nanoTime the monotonic clock probe RTTs are measured with
   * @param clock the wall clock state changes are stamped with
   * @param availableChanged called on {@code loop} with the available uplinks' names when they
   *     change
   */
  public HealthMonitor(
      HealthConfig config,
      HealthPolicy policy,
      List<Uplink> uplinks,
      Map<String, List<ProbeTarget>> ownTargets,
      EventLoop loop,
      LongSupplier nanoTime,
      Clock clock,
      Consumer<Set<String>> availableChanged) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.interval = config.interval();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.availableChanged = Objects.requireNonNull(availableChanged, "availableChanged");
    this.blocking = ProbeRound.blockingExecutor();
    this.timeout = config.timeout();
    this.nanoTime = nanoTime;
    this.reliability = config.reliability();
    List<ProbeTarget> common = ProbeTargets.usable(config.targets());
    roster.carryOut(
        Roster.merge(List.of(), uplinks),
        policy,
        ProbeTargets.perUplink(uplinks, ownTargets, common),
        clock.instant(),
        this::record);
    this.available = roster.available();
    this.states = roster.states();
  }

  /** A monitor with the policy of {@code config}, the system clocks. */
  public HealthMonitor(
      HealthConfig config,
      List<Uplink> uplinks,
      Map<String, List<ProbeTarget>> ownTargets,
      EventLoop loop,
      Consumer<Set<String>> availableChanged) {
    this(
        config,
        HealthPolicy.of(config),
        uplinks,
        ownTargets,
        loop,
        System::nanoTime,
        Clock.systemUTC(),
        availableChanged);
  }

  /** A monitor whose uplinks all probe {@code health.targets}. */
  public HealthMonitor(
      HealthConfig config,
      List<Uplink> uplinks,
      EventLoop loop,
      Consumer<Set<String>> availableChanged) {
    this(config, uplinks, Map.of(), loop, availableChanged);
  }

  /**
   * Applies a reloaded config: {@code health.*}, and the uplinks to probe, merged into those in
   * force by {@link Roster#merge} (which says which stay, are added, replaced or removed, and how
   * each new one starts). A kept uplink keeps its state, counts, statistics and history, and takes
   * its new weight, tier, targets and thresholds; an added or replaced one starts afresh and its
   * first round runs at once; a removed one is no longer probed. A changed {@code interval}
   * restarts the ticks.
   *
   * <p>{@code availableChanged} is not called for the change a reload makes: the future gives the
   * roster's change and the available set afterwards, on the monitor's loop, for the caller to
   * build its selection from (and later changes are reported as usual). Once stopped, the future
   * gives the change without carrying it out.
   */
  public Future<Reconfigured> reconfigure(
      HealthConfig config,
      HealthPolicy policy,
      List<Uplink> next,
      Map<String, List<ProbeTarget>> ownTargets) {
    List<ProbeTarget> common = ProbeTargets.usable(config.targets());
    Map<String, List<ProbeTarget>> own = ProbeTargets.perUplink(next, ownTargets, common);
    Promise<Reconfigured> done = loop.newPromise();
    loop.execute(
        () -> {
          try {
            RosterChange change = Roster.merge(roster.members(), next);
            if (!stopped) {
              apply(config, policy, change, own);
            }
            done.setSuccess(new Reconfigured(change, available));
          } catch (RuntimeException e) {
            done.setFailure(e);
          }
        });
    return done;
  }

  /** {@link #reconfigure} on the loop. */
  private void apply(
      HealthConfig config,
      HealthPolicy policy,
      RosterChange change,
      Map<String, List<ProbeTarget>> own) {
    List<TrackedUplink> fresh = roster.carryOut(change, policy, own, clock.instant(), this::record);
    boolean newInterval = !config.interval().equals(interval);
    interval = config.interval();
    timeout = config.timeout();
    reliability = config.reliability();
    boolean anyTargets = roster.anyTargets();
    if (ticks != null && (newInterval || !anyTargets)) {
      ticks.cancel(false);
      ticks = null;
    }
    if (ticks == null && anyTargets && started) {
      ticks =
          loop.scheduleAtFixedRate(
              this::tick, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (started) {
      fresh.forEach(this::round);
    }
    available = roster.available();
    states = roster.states();
  }

  /** Starts probing: the first round at once, then one every interval. */
  public HealthMonitor start() {
    loop.execute(
        () -> {
          started = true;
          if (stopped || ticks != null || !roster.anyTargets()) {
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
    loop.execute(
        () -> {
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
   * Passive evidence from client traffic: a client's upstream connect through {@code uplink}
   * succeeded or failed. Any thread. The RTT is not mixed into the probe statistics (clients reach
   * many origins at many distances).
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
      TrackedUplink t = roster.get(uplink);
      if (t != null && !stopped) {
        t.health.passive(evidence, clock.instant()).ifPresent(c -> changed(t, c));
      }
    } else {
      loop.execute(() -> evidence(uplink, evidence));
    }
  }

  private void tick() {
    for (TrackedUplink t : roster.all()) {
      if (!t.inFlight) {
        round(t);
      } else {
        // A dead uplink's round lasts the whole timeout; with timeout = interval it would otherwise
        // miss every other tick and detection would take twice as long.
        t.overdue = true;
      }
    }
  }

  private void round(TrackedUplink t) {
    t.inFlight = true;
    roundsInFlight++;
    List<ProbeTarget> targets = t.targets;
    if (targets.isEmpty()) {
      t.inFlight = false;
      roundsInFlight--;
      return;
    }
    ProbeContext context = new ProbeContext(t.probeTimeout(timeout), nanoTime, blocking);
    ProbeRound.run(targets, t.uplink, context, reliability, loop, r -> roundDone(t, r));
  }

  private void roundDone(TrackedUplink t, RoundResult round) {
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
      loop.execute(
          () -> {
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
      states = roster.states();
    }
  }

  private void changed(TrackedUplink t, StateChange change) {
    record(t, change);
    Set<String> now = roster.available();
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
  private void record(TrackedUplink t, StateChange change) {
    if (change.warning()) {
      log.warn(change.logLine());
    } else {
      log.info(change.logLine());
    }
    t.remember(change);
    states = roster.states();
  }
}
