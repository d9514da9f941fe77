package gateway.proxy.caching;

import gateway.core.log.CacheAction;
import gateway.proxy.ProxyContext;
import gateway.proxy.answer.OwnAnswers;
import gateway.proxy.cache.HttpCache;
import gateway.proxy.cache.policy.CacheKey;
import gateway.proxy.cache.store.CachedObject;
import gateway.proxy.cache.store.Fill;
import gateway.proxy.cache.store.ObjectWriter;
import gateway.proxy.exchange.CacheRole;
import gateway.proxy.exchange.ClientSide;
import gateway.proxy.exchange.Exchange;
import gateway.proxy.message.HopByHop;
import gateway.proxy.origin.CacheSide;
import gateway.proxy.origin.OriginLeg;
import gateway.proxy.origin.OriginResponseHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The cache leg of one client connection (the analogue of OkHttp's {@code CacheInterceptor}): it
 * carries out what the cache decides for a request. It answers from a stored response ({@link
 * StoreResponder}), has the request follow another client's download ({@link FillFollower}), or
 * sends it on through the {@link OriginLeg} to validate a stored copy or to fill the cache; then,
 * as the origin's response passes ({@link CacheSide}), it stores it, serves the copy a 304
 * confirmed, sends the request again after a 304 about another response, or serves a stale copy
 * when the origin fails. The part an exchange plays is its {@link CacheRole}. Runs on the client's
 * event loop.
 */
public final class CacheLeg implements CacheSide {
  private final ProxyContext proxy;
  private final ClientSide client;
  private final OwnAnswers answers;
  private final OriginLeg origin;
  private final StoreResponder responder;

  public CacheLeg(ProxyContext proxy, ClientSide client, OwnAnswers answers) {
    this.proxy = proxy;
    this.client = client;
    this.answers = answers;
    this.origin = new OriginLeg(proxy, client, answers, this);
    this.responder = new StoreResponder(proxy, client, origin);
  }

  /** The origin leg this cache leg sends requests through. */
  public OriginLeg origin() {
    return origin;
  }

  /** What answers this client from stored responses. */
  StoreResponder responder() {
    return responder;
  }

  private ChannelHandlerContext ctx() {
    return client.context();
  }

  /**
   * Takes an admitted request: through the cache when there is one (set for every method: the
   * response to an unsafe one, a POST with its form say, invalidates), then to the origin unless
   * the cache took care of it.
   */
  public void request(Exchange ex) {
    if (proxy.cache() != null) {
      ex.cacheUrl = CacheKey.of(ex.target.host(), ex.target.port(), ex.target.path());
      if (!ex.requestHasBody && consult(ex)) {
        return;
      }
    }
    origin.send(ex);
  }

  /**
   * Asks the cache about the request: answers it from a stored response, or has it follow another
   * client's download of the same URL (true: the exchange is taken care of), or gives it the role
   * to validate or fill the cache on its way upstream (false: forward it).
   */
  private boolean consult(Exchange ex) {
    HttpCache cache = proxy.cache();
    HttpCache.Lookup lookup = cache.lookup(ex.request, ex.cacheUrl, ex.startMillis);
    // The request has no body: its end is as good as read. Should it go upstream after all (a
    // follower whose download is not stored), the origin leg writes that end for it.
    ex.requestDone = true;
    if (lookup instanceof HttpCache.Hit hit) {
      if (hit.refresh() != null) {
        BackgroundRefresh.start(
            proxy,
            ctx().channel().eventLoop(),
            client.remote(),
            client.interceptedTo(),
            ex.target,
            ex.request.headers(),
            hit.object(),
            hit.refresh());
      }
      responder.serveStored(
          ex,
          hit.object(),
          hit.object().inMemory() ? CacheAction.TCP_MEM_HIT : CacheAction.TCP_HIT);
      return true;
    }
    if (lookup instanceof HttpCache.Follow follow) {
      FillFollower follower = new FillFollower(this, ex, follow.fill(), cache, ctx());
      ex.role = new CacheRole.Following(follower);
      if (follow.fill().follow(follower)) {
        return true;
      }
      ex.role = CacheRole.none();
    } else if (lookup instanceof HttpCache.OnlyIfCachedMiss) {
      answers.error(
          ex,
          HttpResponseStatus.GATEWAY_TIMEOUT,
          ex.target.logUrl(false)
              + " is not in the gateway's cache, and the request asked for the cache only"
              + " (only-if-cached)",
          CacheAction.TCP_MISS,
          null);
      return true;
    } else if (lookup instanceof HttpCache.Validate validate) {
      ex.validate(validate.object(), validate.fill());
    } else if (lookup instanceof HttpCache.Lead lead) {
      ex.role = new CacheRole.Filling(lead.fill(), null);
      // The client's validators are for its own copy: the cache wants the whole response to store.
      ex.request
          .headers()
          .remove(HttpHeaderNames.IF_NONE_MATCH)
          .remove(HttpHeaderNames.IF_MODIFIED_SINCE);
    }
    ex.requestDone = false;
    return false;
  }

  // ---- the origin's response passing ------------------------------------------------------

  @Override
  public boolean head(Exchange ex, HttpResponse r) {
    if (ex.cacheUrl == null) {
      return true;
    }
    long now = proxy.clock().getAsLong();
    proxy
        .cache()
        .responded(
            ex.request.method(),
            ex.target.host(),
            ex.target.port(),
            ex.target.path(),
            r.status().code(),
            r.headers());
    if (ex.role instanceof CacheRole.Validating v) {
      return validated(ex, v, r, now);
    }
    if (ex.role instanceof CacheRole.Filling f) {
      store(ex, f.fill(), r, now);
    }
    return true;
  }

  /**
   * The origin's answer to a revalidation. Returns false when it is not for the client (a 304
   * confirming the stored copy, which is served instead, or a stale copy served on error).
   */
  private boolean validated(Exchange ex, CacheRole.Validating v, HttpResponse r, long now) {
    int code = r.status().code();
    if (code == 304) {
      CachedObject refreshed =
          proxy.cache().refreshed(v.stored(), r.headers(), ex.startMillis, now);
      if (refreshed == null) {
        // A 304 about another response than the stored one (its validator differs), or one that
        // withdraws it from sharing (private, no-store): that copy is dropped, and once this 304
        // has ended the request is sent again without validators.
        ex.abandonFill();
        ex.role = new CacheRole.Refetching(v.clientHeaders());
        return false;
      }
      ex.role = new CacheRole.Refreshed(refreshed, v.clientHeaders());
      if (v.fill() != null) {
        v.fill().refreshed();
      }
      return false;
    }
    if (code >= 500 && proxy.cache().staleOnError(v.stored(), ex.request.headers(), false, now)) {
      OriginLeg.dropUpstream(ex);
      servedStaleOnError(ex, false);
      return false;
    }
    ex.action = CacheAction.TCP_REFRESH_MODIFIED;
    if (v.fill() != null) {
      store(ex, v.fill(), r, now);
    }
    return true;
  }

  /** Stores the response of the download {@code fill} as it passes, if the cache takes it. */
  private void store(Exchange ex, Fill fill, HttpResponse r, long now) {
    ObjectWriter writer = null;
    if (proxy.cache().mayStore(ex.request, r)) {
      HttpHeaders endToEnd = r.headers().copy();
      HopByHop.strip(endToEnd);
      writer = proxy.cache().store(fill, ex.request, r, endToEnd, ex.startMillis, now);
    }
    if (writer == null) {
      ex.role = CacheRole.none();
      fill.notStored();
      return;
    }
    ex.role = new CacheRole.Filling(fill, writer);
  }

  @Override
  public void headSent(Exchange ex, HttpResponse r) {
    // A body being stored goes on at the store's pace; this client is fed from the store at its
    // own.
    OrphanedFill.feedLeader(this, ex, r, proxy.cache(), ctx());
  }

  @Override
  public boolean content(Exchange ex, HttpContent c) {
    CacheRole role = ex.role;
    if (role instanceof CacheRole.Refreshed || role instanceof CacheRole.Refetching) {
      // The end of a 304 that confirmed the stored response (served now), or that was about
      // another.
      c.release();
      if (c instanceof LastHttpContent) {
        origin.releaseUpstream(ex);
        if (role instanceof CacheRole.Refreshed refreshed) {
          responder.serveStored(ex, refreshed.stored(), CacheAction.TCP_REFRESH_UNMODIFIED);
        } else {
          refetch(ex);
        }
      }
      return true;
    }
    if (role instanceof CacheRole.Filling f && f.writer() != null) {
      stored(ex, f, c);
    }
    return false;
  }

  /** Appends a part of the response body to the cache copy being written. */
  private void stored(Exchange ex, CacheRole.Filling f, HttpContent c) {
    if (!f.writer().write(c.content())) {
      // Too large, or the disk failed: the client still gets all of it, the cache none.
      ex.abandonFill();
      return;
    }
    if (c instanceof LastHttpContent) {
      ex.role = CacheRole.none();
      f.fill().complete();
    } else {
      f.fill().advanced();
    }
  }

  @Override
  public boolean upstreamGone(Exchange ex) {
    if (ex.role instanceof CacheRole.Refreshed refreshed) {
      // The 304 was complete enough: its end is not needed to serve the stored response.
      responder.serveStored(ex, refreshed.stored(), CacheAction.TCP_REFRESH_UNMODIFIED);
      return true;
    }
    return false;
  }

  /**
   * The origin gave no fresh response to a revalidation (an error, no answer in time, no way to
   * reach it; the upstream connection is already let go): serves the stored copy instead where the
   * rules allow it ({@code stale-if-error}, or when {@code disconnected}, every uplink being down).
   * True when it did.
   */
  @Override
  public boolean servedStaleOnError(Exchange ex, boolean disconnected) {
    CachedObject stale = ex.revalidating();
    if (stale == null
        || !proxy
            .cache()
            .staleOnError(stale, ex.request.headers(), disconnected, proxy.clock().getAsLong())) {
      return false;
    }
    // A stale copy the rules allow beats an error page.
    ex.abandonFill();
    responder.serveStored(ex, stale, CacheAction.TCP_REFRESH_FAIL_OLD);
    return true;
  }

  /** Sends the request again as the client sent it, but without validators: nothing is stored. */
  private void refetch(Exchange ex) {
    ex.restoreClientHeaders();
    ex.role = CacheRole.none();
    ex.request
        .headers()
        .remove(HttpHeaderNames.IF_NONE_MATCH)
        .remove(HttpHeaderNames.IF_MODIFIED_SINCE);
    origin.send(ex);
  }

  // ---- a client fed from another's download -----------------------------------------------

  /** The download this client led, and was fed from like a follower, is all sent to it. */
  void leaderDone(Exchange ex) {
    ex.role = CacheRole.none();
    client.complete(ex);
  }

  /**
   * The download this client led stopped storing (a failing disk) when the client had all that was
   * stored: the rest comes from {@code up} as in a plain download, from {@code c} (owned) on.
   * Returns whether the client can take more now.
   */
  boolean resumeFromOrigin(Exchange ex, Channel up, HttpContent c) {
    ex.role = CacheRole.none();
    ex.upstream = up;
    OriginResponseHandler.of(up).handOver(origin);
    return origin.responseContent(c);
  }

  /** Whether {@code ex} is still this client's and may pool the connection of a download it led. */
  boolean stillServes(Exchange ex) {
    return client.isCurrent(ex) && ctx().channel().isActive() && !proxy.isDraining();
  }

  void followerDone(Exchange ex) {
    ex.role = CacheRole.none();
    ex.action = CacheAction.TCP_HIT;
    client.complete(ex);
  }

  /** The download this client followed broke off after its head was sent: end the connection. */
  void followerBroken(Exchange ex) {
    ex.role = CacheRole.none();
    client.broken(ex, CacheAction.TCP_MISS);
  }

  /**
   * The download this client waited for is not stored: fetch the response for it alone. When that
   * download failed (the origin or every uplink down) and a copy is stored, validate the copy
   * alone: it is served if the origin fails again and the rules allow a stale answer, as it was to
   * the client that led.
   */
  void followerFetches(Exchange ex, boolean leaderFailed) {
    ex.role = CacheRole.none();
    if (!client.isCurrent(ex)) {
      return;
    }
    CachedObject stored =
        leaderFailed ? proxy.cache().find(ex.cacheUrl, ex.request.headers()) : null;
    if (stored != null) {
      ex.validate(stored, null);
    }
    origin.send(ex);
  }

  /** The stored response this client waited on was confirmed by the origin: look it up again. */
  void followerLooksAgain(Exchange ex) {
    ex.role = CacheRole.none();
    if (!client.isCurrent(ex)) {
      return;
    }
    CachedObject stored = proxy.cache().find(ex.cacheUrl, ex.request.headers());
    if (stored == null) {
      followerFetches(ex, false);
      return;
    }
    responder.serveStored(ex, stored, CacheAction.TCP_REFRESH_UNMODIFIED);
  }
}
