package gateway.proxy.caching;

import gateway.proxy.cache.Fill;
import gateway.proxy.cache.ObjectWriter;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.origin.OriginResponseHandler;
import gateway.proxy.origin.ResponseReceiver;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.RejectedExecutionException;

/**
 * A download into the cache whose leading client left while the body was streaming in, carried on for
 * the clients fed from it (collapsed forwarding): one user cancelling a large download does not break
 * it for the others waiting on it. It takes the upstream connection's response over from the leader's
 * client handler: the body goes on into the {@link ObjectWriter} as fast as the writer takes
 * it, the followers are told of every part, and the object is committed at the end as if the leader
 * had stayed.
 *
 * <p>It stops (writer aborted, fill failed, upstream connection closed) when the origin fails, when
 * the writer gives up, or when the last follower leaves: a download nobody waits for is not worth the
 * uplink. Runs on the upstream connection's event loop; only the last follower's leaving comes from
 * another loop, and it schedules the stop on this one.
 */
public final class OrphanedFill implements ResponseReceiver {
  private final Fill fill;
  private final Channel upstream;
  private ObjectWriter writer;
  /** Ended one way or another: what the origin still sends is dropped. */
  private boolean over;

  private OrphanedFill(Fill fill, ObjectWriter writer, Channel upstream) {
    this.fill = fill;
    this.writer = writer;
    this.upstream = upstream;
  }

  /**
   * The client of {@code ex} left. When {@code ex} leads a download into the cache whose body is
   * streaming in and others are fed from it, the download carries on without the client: its fill,
   * writer and upstream connection are taken from {@code ex}, which has none of them left to end.
   * Otherwise {@code ex} keeps them, for the caller to end as before. Call on the client's loop.
   */
  public static void takeOver(Exchange ex) {
    Channel up = ex.upstream;
    if (!(ex.role instanceof CacheRole.Filling filling) || filling.writer() == null || up == null
        || !up.isActive() || !ex.requestDone) {
      return;
    }
    OrphanedFill orphan = new OrphanedFill(filling.fill(), filling.writer(), up);
    // The fill may only call back from another loop, after this task: the hand-over is done by then.
    if (!filling.fill().carryOn(orphan::nobodyLeft)) {
      return;
    }
    ex.role = CacheRole.NONE;
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
    boolean taken;
    try {
      taken = writer.write(c.content());
    } finally {
      c.release();
    }
    if (!taken) {
      // Too large, or the disk failed: with no client of its own, the download is of no use now.
      stop();
      return false;
    }
    if (c instanceof LastHttpContent) {
      over = true;
      ObjectWriter w = writer;
      writer = null;
      fill.complete(w.commit());
      // Closed rather than pooled: the pool is the client handlers' business, and this is rare.
      upstream.close();
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
    fill.failed();
    upstream.close();
  }
}
