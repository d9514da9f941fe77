package gateway.proxy.caching;

import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.cache.store.ObjectWriter;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.ResponseHeads;
import gateway.proxy.origin.OriginLeg;
import gateway.proxy.origin.OriginResponseHandler;
import gateway.proxy.origin.ResponseReceiver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;

/**
 * A download into the cache that no client's pace holds back: every client, the one whose request
 * started it included, is fed from the {@link ObjectWriter} at its own pace (collapsed forwarding),
 * while the body goes into the writer as fast as the writer takes it. It takes the upstream
 * connection's response over from the leader's client handler, either as soon as the head is out
 * ({@link #feedLeader}), or when the leading client leaves mid-body ({@link #takeOver}): one user
 * cancelling a large download does not break it for the others waiting on it. The followers are
 * told of every part, and the object is committed at the end as if the leader had stayed.
 *
 * <p>It stops (writer aborted, fill failed, upstream connection closed) when the origin fails, when
 * the writer gives up, or when the last client fed from it leaves: a download nobody waits for is
 * not worth the uplink. Should the writer give up (the body grew too large to store, a failing
 * disk) while the leading client is fed from it, the others end and the rest goes to that client
 * straight from the origin, as in a plain download: at once when it has had every byte stored so
 * far, else once it has read what the writer holds (the origin is not read meanwhile, and a writer
 * that gave up on the size keeps its bytes readable until aborted). Runs on the upstream
 * connection's event loop, which is the leading client's; only the last follower's leaving comes
 * from another loop, and it schedules the stop on this one.
 */
public final class OrphanedFill implements ResponseReceiver {
  private final Fill fill;
  private final Channel upstream;

  /** The leading client's cache leg and exchange while it is fed from the fill, else null. */
  private final CacheLeg handler;

  private final Exchange leaderExchange;
  private FillFollower leader;

  /** Whether the upstream connection may go back to the pool once the body is complete. */
  private final boolean reusable;

  private ObjectWriter writer;

  /**
   * What the origin sent since the writer gave up, while the leading client catches up (one read).
   */
  private final ArrayDeque<HttpContent> held = new ArrayDeque<>(2);

  /** Ended one way or another: what the origin still sends is dropped. */
  private boolean over;

  private OrphanedFill(Fill fill, ObjectWriter writer, Channel upstream) {
    this(fill, writer, upstream, null, null, false);
  }

  private OrphanedFill(
      Fill fill,
      ObjectWriter writer,
      Channel upstream,
      CacheLeg handler,
      Exchange leaderExchange,
      boolean reusable) {
    this.fill = fill;
    this.writer = writer;
    this.upstream = upstream;
    this.handler = handler;
    this.leaderExchange = leaderExchange;
    this.reusable = reusable;
  }

  /**
   * The origin's head for {@code ex}, which leads a download into the cache, is out to its client
   * through {@code handler}. When the body is being stored, the download goes on at the writer's
   * pace from here and the client is fed from the fill like any follower: true, and {@code ex}
   * keeps none of its fill, writer or upstream connection. False otherwise: {@code ex} goes on as a
   * plain download. Call on the client's loop.
   */
  static boolean feedLeader(
      CacheLeg handler,
      Exchange ex,
      HttpResponse r,
      HttpCache cache,
      ChannelHandlerContext client) {
    Channel up = ex.upstream;
    if (!(ex.role instanceof CacheRole.Filling filling)
        || filling.writer() == null
        || up == null
        || !ex.requestDone
        || ResponseHeads.hasNoBody(r, ex.request.method())) {
      return false;
    }
    Fill fill = filling.fill();
    OrphanedFill download =
        new OrphanedFill(fill, filling.writer(), up, handler, ex, ex.responseKeepAlive);
    FillFollower fed = FillFollower.leading(handler, ex, fill, cache, client);
    // The fill is filling (the store took the head): it takes this follower, and then carries on
    // for whoever is still fed from it.
    if (!fill.follow(fed) || !fill.carryOn(download::nobodyLeft)) {
      fed.detach();
      return false;
    }
    download.leader = fed;
    ex.role = new CacheRole.Following(fed);
    ex.upstream = null;
    OriginResponseHandler.of(up).handOver(download);
    return true;
  }

  /**
   * The client of {@code ex} left. When {@code ex} leads a download into the cache whose body is
   * streaming in and others are fed from it, the download carries on without the client: its fill,
   * writer and upstream connection are taken from {@code ex}, which has none of them left to end.
   * Otherwise {@code ex} keeps them, for the caller to end as before. Call on the client's loop.
   */
  public static void takeOver(Exchange ex) {
    Channel up = ex.upstream;
    if (!(ex.role instanceof CacheRole.Filling filling)
        || filling.writer() == null
        || up == null
        || !up.isActive()
        || !ex.requestDone) {
      return;
    }
    OrphanedFill orphan = new OrphanedFill(filling.fill(), filling.writer(), up);
    // The fill may only call back from another loop, after this task: the hand-over is done by
    // then.
    if (!filling.fill().carryOn(orphan::nobodyLeft)) {
      return;
    }
    ex.role = CacheRole.none();
    ex.upstream = null;
    OriginResponseHandler.of(up).handOver(orphan);
    // The leader may have held reads back for its client's sake: read on, for the writer's.
    up.read();
  }

  @Override
  public void responseHead(HttpResponse r) {
    // The head came before the hand-over; another one means the origin broke its framing.
    stop();
  }

  @Override
  public boolean responseContent(HttpContent c) {
    if (over) {
      c.release();
      return false;
    }
    if (!held.isEmpty()) {
      // More of the read that brought the part the writer refused: it waits with that part.
      held.add(c);
      return false;
    }
    long stored = writer.written();
    boolean taken = writer.write(c.content());
    if (!taken && leader != null && leader.caughtUpTo(stored)) {
      // Too large to store, or the disk failed, but the leading client has all that was stored: it
      // gets the rest as it comes, the others end.
      return passToLeader(c);
    }
    if (!taken && leader != null && leader.fed()) {
      // The same, with the leading client behind: the origin waits (this part with it) until that
      // client has read what the writer holds, which stays readable until it is aborted.
      held.add(c);
      fill.failed();
      leader.whenCaughtUp(this::releaseHeld, this::stop);
      return false;
    }
    c.release();
    if (!taken) {
      // Too large, or the disk failed: with no client of its own, the download is of no use now.
      stop();
      return false;
    }
    if (c instanceof LastHttpContent) {
      over = true;
      writer = null;
      fill.complete();
      if (reusable && handler.stillServes(leaderExchange)) {
        OriginLeg.pool(upstream);
      } else {
        // Its client left: the pool is the client handlers' business, and this is rare.
        upstream.close();
      }
      return false;
    }
    fill.advanced();
    return true;
  }

  @Override
  public void flushToClient() {
    // No client: the followers flush their own.
  }

  @Override
  public void upstreamWritable() {
    // The request was sent whole before the hand-over.
  }

  @Override
  public void upstreamGone(Throwable cause) {
    stop();
  }

  /**
   * The leading client caught up with a writer that gave up: it takes what waited, and the rest.
   */
  private void releaseHeld() {
    boolean more = passToLeader(held.poll());
    HttpContent c;
    while ((c = held.poll()) != null) {
      more = handler.origin().responseContent(c);
    }
    if (more) {
      upstream.read();
    }
  }

  /**
   * The writer gave up: the leading client takes {@code c} and the rest straight from the origin.
   */
  private boolean passToLeader(HttpContent c) {
    over = true;
    ObjectWriter w = writer;
    writer = null;
    w.abort();
    // Failed first: the leader leaving the fill then stops nothing.
    fill.failed();
    leader.detach();
    leader = null;
    return handler.resumeFromOrigin(leaderExchange, upstream, c);
  }

  /** The last follower left, on its own loop (the fill has failed already): stop on this one. */
  private void nobodyLeft() {
    try {
      upstream.eventLoop().execute(this::stop);
    } catch (RejectedExecutionException loopGone) {
      // The gateway is stopping: the loop closes its connections as it goes.
    }
  }

  /** Nothing partial is stored, the followers end their connections, the origin is let go. */
  private void stop() {
    if (over) {
      return;
    }
    over = true;
    ObjectWriter w = writer;
    writer = null;
    w.abort();
    HttpContent c;
    while ((c = held.poll()) != null) {
      c.release();
    }
    fill.failed();
    upstream.close();
  }
}
