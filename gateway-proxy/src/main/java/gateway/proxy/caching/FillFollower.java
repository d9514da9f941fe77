package gateway.proxy.caching;

import gateway.proxy.cache.CachedObject;
import gateway.proxy.cache.Fill;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.ObjectWriter;
import gateway.proxy.cache.StoredHead;
import gateway.proxy.cache.Vary;
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
 * client takes it. Runs on the client's event loop; the fill's changes only schedule {@link #pump}.
 */
final class FillFollower implements Fill.Follower, CacheRole.Feed {
  private static final int CHUNK = 64 * 1024;

  private final CacheLeg handler;
  private final Exchange ex;
  private final Fill fill;
  private final HttpCache cache;
  private final ChannelHandlerContext client;
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private boolean headSent;
  private boolean over;
  private boolean clientGone;
  private long offset;

  FillFollower(CacheLeg handler, Exchange ex, Fill fill, HttpCache cache,
      ChannelHandlerContext client) {
    this.handler = handler;
    this.ex = ex;
    this.fill = fill;
    this.cache = cache;
    this.client = client;
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
    over = true;
    fill.unfollow(this);
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
        } catch (RuntimeException committedMeanwhile) {
          // The writer has been committed and closed: the rest comes from the stored object.
          finishFromStore();
          return;
        }
        offset += chunk.readableBytes();
        ex.bytesSent += chunk.readableBytes();
        client.write(new DefaultHttpContent(chunk));
        continue;
      }
      if (stage == Fill.Stage.COMPLETE) {
        end();
        client.write(LastHttpContent.EMPTY_LAST_CONTENT);
        handler.followerDone(ex);
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
    ex.bytesSent += handler.sendStoredHead(ex, r);
    headSent = true;
    return true;
  }

  /** The rest of the body, from the object the fill became (once its body is checked). */
  private void finishFromStore() {
    end();
    CachedObject stored = cache.store().get(fill.head().key());
    CompletionStage<Boolean> check = stored == null ? null : stored.bodyCheck();
    if (check != null) {
      BodyCheckWait.then(check, client.executor(), () -> {
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
    ex.bytesSent += handler.sendBody(body, offset, stored.length() - offset);
    handler.followerDone(ex);
  }

  private void end() {
    over = true;
    fill.unfollow(this);
  }
}
