package gateway.proxy.limit;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The gateway's token buckets: one per client address each way (while it has connections open), one
 * per client group each way where the group has a shared rate, one per uplink each way where it has
 * a {@code max-rate} or {@code max-upload-rate}. They outlive a reload: {@link #apply} gives them
 * the new rates, so open connections follow them. Shared by all event loops.
 *
 * <p>A client connection {@linkplain #open opens} a {@link Share}; the connection's handlers take
 * their {@link Throttle}s from it: upload for reading the client (with an uplink's upload bucket
 * while what it sends goes up through that uplink), download for reading an origin through a given
 * uplink.
 */
public final class Bandwidth {
  private static final AttributeKey<Share> SHARE = AttributeKey.valueOf("gateway.bandwidth");

  private final LongSupplier nanoTime;
  private volatile ClientLimits limits;
  private final Map<InetAddress, ClientBuckets> clients = new ConcurrentHashMap<>();
  private final Map<String, TokenBucket[]> groups = new ConcurrentHashMap<>();
  private final Map<String, UplinkBuckets> uplinks = new ConcurrentHashMap<>();

  private static final class ClientBuckets {
    final TokenBucket download;
    final TokenBucket upload;
    int users;

    ClientBuckets(long download, long upload, LongSupplier nanoTime) {
      this.download = new TokenBucket(download, nanoTime);
      this.upload = new TokenBucket(upload, nanoTime);
    }
  }

  /** What comes in through an uplink and what goes out through it. */
  private record UplinkBuckets(TokenBucket download, TokenBucket upload) {
    UplinkBuckets(ClientLimits.UplinkRates r, LongSupplier nanoTime) {
      this(new TokenBucket(r.download(), nanoTime), new TokenBucket(r.upload(), nanoTime));
    }
  }

  public Bandwidth(ClientLimits limits, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    apply(limits);
  }

  public ClientLimits limits() {
    return limits;
  }

  /** New limits (a reload): open connections' buckets take the new rates at once. */
  public synchronized void apply(ClientLimits newLimits) {
    limits = newLimits;
    clients.forEach(
        (address, b) -> {
          ClientLimits.Client c = newLimits.of(address);
          b.download.setRate(c.download());
          b.upload.setRate(c.upload());
        });
    Map<String, long[]> groupRates = newLimits.groupRates();
    groups.forEach(
        (name, b) -> {
          long[] r = groupRates.getOrDefault(name, new long[2]);
          b[0].setRate(r[0]);
          b[1].setRate(r[1]);
        });
    groupRates.forEach(
        (name, r) ->
            groups.computeIfAbsent(
                name,
                n ->
                    new TokenBucket[] {
                      new TokenBucket(r[0], nanoTime), new TokenBucket(r[1], nanoTime)
                    }));
    uplinks.forEach(
        (name, b) -> {
          b.download().setRate(newLimits.uplinkRate(name));
          b.upload().setRate(newLimits.uplinkUploadRate(name));
        });
    newLimits
        .uplinkRates()
        .forEach((name, r) -> uplinks.computeIfAbsent(name, n -> new UplinkBuckets(r, nanoTime)));
  }

  /**
   * The buckets a new connection from {@code client} is under, kept for the connection's life: call
   * {@link Share#close} when it closes.
   */
  public synchronized Share open(InetAddress client) {
    ClientLimits.Client c = limits.of(client);
    ClientBuckets own = null;
    if (c.download() > 0 || c.upload() > 0 || clients.containsKey(client)) {
      own =
          clients.computeIfAbsent(
              client, a -> new ClientBuckets(c.download(), c.upload(), nanoTime));
      own.users++;
    }
    TokenBucket[] group = c.group() == null ? null : groups.get(c.group());
    return new Share(client, own, group);
  }

  private synchronized void close(InetAddress client, ClientBuckets own) {
    if (--own.users == 0) {
      clients.remove(client, own);
    }
  }

  /**
   * The share the client connection {@code ch} opened (attached by {@link Share#attach}), or null.
   */
  public static Share of(Channel ch) {
    return ch.attr(SHARE).get();
  }

  /** One client connection's view of the buckets. */
  public final class Share {
    private final InetAddress client;
    private final ClientBuckets own;
    private final TokenBucket[] group;
    private boolean closed;

    private Share(InetAddress client, ClientBuckets own, TokenBucket[] group) {
      this.client = client;
      this.own = own;
      this.group = group;
    }

    /** Ties this share to the client connection: found there by {@link #of}, closed with it. */
    public void attach(Channel ch) {
      ch.attr(SHARE).set(this);
      ch.closeFuture().addListener(f -> close());
    }

    /** For reading the client while what it sends goes through no known uplink; null: no limit. */
    public Throttle upload(EventLoop loop) {
      return upload(loop, null);
    }

    /**
     * For reading the client while what it sends goes up through {@code uplink} (its name; null
     * when none is known): a request body or a tunnel's upload direction. Null when nothing limits
     * it.
     */
    public Throttle upload(EventLoop loop, String uplink) {
      List<TokenBucket> b = new ArrayList<>(3);
      add(b, own == null ? null : own.upload);
      add(b, group == null ? null : group[1]);
      UplinkBuckets through = uplink == null ? null : uplinks.get(uplink);
      add(b, through == null ? null : through.upload());
      return b.isEmpty() ? null : new Throttle(b, client, loop);
    }

    /** For reading an origin through {@code uplink} (its name); null when nothing limits it. */
    public Throttle download(EventLoop loop, String uplink) {
      List<TokenBucket> b = new ArrayList<>(3);
      add(b, own == null ? null : own.download);
      add(b, group == null ? null : group[0]);
      UplinkBuckets through = uplink == null ? null : uplinks.get(uplink);
      add(b, through == null ? null : through.download());
      return b.isEmpty() ? null : new Throttle(b, client, loop);
    }

    private static void add(List<TokenBucket> list, TokenBucket b) {
      if (b != null && !b.isUnlimited()) {
        list.add(b);
      }
    }

    public void close() {
      if (!closed && own != null) {
        closed = true;
        Bandwidth.this.close(client, own);
      }
    }
  }
}
