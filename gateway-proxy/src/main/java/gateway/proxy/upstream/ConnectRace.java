package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Connects through the route's uplinks in preference order so that a dead uplink does not fail the
 * connection: the first uplink is tried; if it has not connected within its race deadline (from its
 * measured RTT), or fails, the next one starts too. The first to connect wins and the others are
 * closed. A refused connection is the origin's answer, not the uplink's fault: it ends the race.
 *
 * <p>Runs on one event loop (the client's), so its fields need no locks; its time (the race
 * deadline, the connect time it reports) is that loop's ticker.
 */
final class ConnectRace {
  private final UpstreamConnector connector;
  private final EventLoop loop;
  private final Route route;
  private final Function<Uplink, ChannelHandler> handlers;
  private final UplinkFeedback feedback;
  private final Promise<Connection> result;
  private final List<ChannelFuture> attempts = new ArrayList<>(2);
  private int next;
  private int failed;
  private Throwable firstFailure;
  private ScheduledFuture<?> raceTimer;

  ConnectRace(
      UpstreamConnector connector,
      EventLoop loop,
      Route route,
      Function<Uplink, ChannelHandler> handlers,
      UplinkFeedback feedback) {
    this.connector = connector;
    this.loop = loop;
    this.route = route;
    this.handlers = handlers;
    this.feedback = feedback;
    this.result = loop.newPromise();
  }

  Promise<Connection> start() {
    startNext();
    return result;
  }

  private void startNext() {
    if (result.isDone() || next >= route.uplinks().size()) {
      return;
    }
    Uplink uplink = route.uplinks().get(next++);
    long started = loop.ticker().nanoTime();
    ChannelFuture attempt = connector.attempt(loop, route.origin(), uplink, handlers.apply(uplink));
    attempts.add(attempt);
    attempt.addListener(f -> finished(attempt, uplink, started));
    if (next < route.uplinks().size()) {
      long deadline = feedback.raceAfter(uplink).toNanos();
      raceTimer = loop.schedule(this::startNext, deadline, TimeUnit.NANOSECONDS);
    }
  }

  private void finished(ChannelFuture attempt, Uplink uplink, long started) {
    if (attempt.isSuccess()) {
      if (result.trySuccess(new Connection(attempt.channel(), uplink, uplink.name()))) {
        feedback.connected(uplink, loop.ticker().nanoTime() - started);
        cancelOthers(attempt.channel());
      } else {
        attempt.channel().close();
      }
      return;
    }
    if (result.isDone()) {
      return;
    }
    Throwable cause = attempt.cause();
    if (firstFailure == null) {
      firstFailure = cause;
    }
    if (isRefused(cause)) {
      // The origin answered through this uplink: no other uplink will get a better answer.
      result.tryFailure(cause);
      cancelOthers(null);
      return;
    }
    feedback.failed(uplink, cause);
    failed++;
    if (raceTimer != null) {
      raceTimer.cancel(false);
    }
    if (next < route.uplinks().size()) {
      startNext();
    } else if (failed == attempts.size()) {
      result.tryFailure(firstFailure);
    }
  }

  private void cancelOthers(Channel winner) {
    if (raceTimer != null) {
      raceTimer.cancel(false);
    }
    for (int i = 0; i < attempts.size(); i++) {
      ChannelFuture a = attempts.get(i);
      if (a.channel() != winner) {
        if (!a.isDone()) {
          feedback.lostRace(route.uplinks().get(i));
        }
        a.cancel(false);
        a.channel().close();
      }
    }
  }

  static boolean isRefused(Throwable cause) {
    return cause instanceof ConnectException
        && String.valueOf(cause.getMessage()).contains("refused");
  }
}
