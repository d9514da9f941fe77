package gateway.proxy.caching;

import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.StoredHead;
import gateway.proxy.cache.policy.Vary;
import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.cache.store.ObjectWriter;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds one client from a download another client's request started (collapsed forwarding): waits
 * for the response head, sends it, then sends the body as it lands in the cache, at the pace this
 * client takes it. The client whose request leads the download is fed the same way once its head is
 * out ({@link #leading}), so that no client's pace holds back the others. Runs on the client's
 * event loop; the fill's changes only schedule {@link #pump}.
 */
final class FillFollower implements Fill.Follower, CacheRole.Feed {
  private static final int CHUNK = 64 * 1024;

  private final CacheLeg handler;
  private final Exchange ex;
  private final Fill fill;
  private final HttpCache cache;
  private final ChannelHandlerContext client;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  /** The client's own request started the download: its exchange is logged as the miss it is. */
  private final boolean leads;

  private boolean headSent;
  private boolean over;
  private boolean clientGone;
  private long offset;

  /** The download waits for this client to have all that was stored: run then, or null. */
  private Runnable caughtUp;

  /** Run instead should this client leave while the download waits for it. */
  private Runnable leftWhileAwaited;

  FillFollower(
      CacheLeg handler, Exchange ex, Fill fill, HttpCache cache, ChannelHandlerContext client) {
    this(handler, ex, fill, cache, client, false);
  }

  private FillFollower(
      CacheLeg handler,
      Exchange ex,
      Fill fill,
      HttpCache cache,
      ChannelHandlerContext client,
      boolean leads) {
    this.handler = handler;
    this.ex = ex;
    this.fill = fill;
    this.cache = cache;
    this.client = client;
    this.leads = leads;
    this.headSent = leads;
  }

  /** Feeds the body to the client whose request leads {@code fill}; the origin's head is out. */
  static FillFollower leading(
      CacheLeg handler, Exchange ex, Fill fill, HttpCache cache, ChannelHandlerContext client) {
    return new FillFollower(handler, ex, fill, cache, client, true);
  }

  /** Whether this client is still fed from the fill. */
  boolean fed() {
    return !over;
  }

  /**
   * Whether this client is still fed and has been sent exactly the body's first {@code n} bytes.
   */
  boolean caughtUpTo(long n) {
    return !over && offset == n;
  }

  /**
   * The rest of the body reaches the client another way: stop, and let the fill forget this one.
   */
  void detach() {
    end();
  }

  /**
   * Runs {@code then} (on this loop) once this client has been sent all the writer holds, which
   * takes nothing more; runs {@code left} instead should it end first (it left, or the writer's
   * bytes went).
   */
  void whenCaughtUp(Runnable then, Runnable left) {
    caughtUp = then;
    leftWhileAwaited = left;
    fillChanged();
  }

  @Override
  public void fillChanged() {
    if (scheduled.compareAndSet(false, true)) {
      client.executor().execute(this::pump);
    }
  }

  /** The client can take more: go on sending. */
  @Override
  public void clientWritable() {
    fillChanged();
  }

  /** The client went away: stop, and let the fill forget this follower. */
  @Override
  public void stop() {
    clientGone = true;
    end();
  }

  private void pump() {
    scheduled.set(false);
    if (over) {
      return;
    }
    if (!headSent && !sendHead()) {
      return;
    }
    ObjectWriter writer = fill.writer();
    while (client.channel().isWritable()) {
      // The stage is read before the length: once the stage says complete, the length is final.
      Fill.Stage stage = fill.stage();
      long available = writer.written();
      if (available > offset) {
        ByteBuf chunk;
        try {
          chunk = writer.read(offset, (int) Math.min(available - offset, CHUNK), client.alloc());
        } catch (RuntimeException writerClosed) {
          // The writer stays readable while this client is fed from it; should its file have been
          // closed under it all the same (an interrupted thread), the rest comes from the store.
          finishFromStore();
          return;
        }
        offset += chunk.readableBytes();
        ex.bytesSent += chunk.readableBytes();
        client.write(new DefaultHttpContent(chunk));
        continue;
      }
      if (caughtUp != null) {
        Runnable then = caughtUp;
        caughtUp = null;
        leftWhileAwaited = null;
        then.run();
        client.flush();
        return;
      }
      if (stage == Fill.Stage.COMPLETE) {
        end();
        client.write(LastHttpContent.EMPTY_LAST_CONTENT);
        done();
        return;
      }
      if (stage == Fill.Stage.FAILED) {
        end();
        handler.followerBroken(ex);
        return;
      }
      break;
    }
    client.flush();
  }

  /** Sends the response head once the fill has one; false while there is nothing to send yet. */
  private boolean sendHead() {
    Fill.Stage stage = fill.stage();
    switch (stage) {
      case WAITING:
        return false;
      case REFRESHED:
        end();
        handler.followerLooksAgain(ex);
        return false;
      case NOT_STORED:
      case FAILED:
        end();
        handler.followerFetches(ex, stage == Fill.Stage.FAILED);
        return false;
      default:
        break;
    }
    StoredHead head = fill.head();
    String variant = Vary.secondaryKey(Vary.names(head.headers()), ex.request.headers());
    if (!head.variant().equals(variant)) {
      // The response varies on a header this client sent differently: not its response.
      end();
      handler.followerFetches(ex, false);
      return false;
    }
    HttpResponse r = StoredResponses.streaming(head);
    ex.bytesSent += handler.responder().sendStoredHead(ex, r);
    headSent = true;
    return true;
  }

  /** The rest of the body, from the object the fill became (once its body is checked). */
  private void finishFromStore() {
    end();
    CachedObject stored = cache.store().get(fill.head().key());
    CompletionStage<Boolean> check = stored == null ? null : stored.bodyCheck();
    if (check != null) {
      BodyCheckWait.then(
          check,
          client.executor(),
          () -> {
            if (!clientGone) {
              sendRest(stored);
            }
          });
      return;
    }
    sendRest(stored);
  }

  private void sendRest(CachedObject stored) {
    CachedObject.Body body = stored == null ? null : stored.open();
    if (body == null || stored.length() < offset) {
      if (body != null) {
        body.close();
      }
      handler.followerBroken(ex);
      return;
    }
    ex.bytesSent += handler.responder().sendBody(body, offset, stored.length() - offset);
    done();
  }

  private void done() {
    if (leads) {
      handler.leaderDone(ex);
    } else {
      handler.followerDone(ex);
    }
  }

  private void end() {
    over = true;
    fill.unfollow(this);
    Runnable left = leftWhileAwaited;
    caughtUp = null;
    leftWhileAwaited = null;
    if (left != null) {
      // The download waited for this client, which ends before it caught up (it left, or what
      // it had yet to read is gone): nobody else wants the rest.
      left.run();
    }
  }
}
