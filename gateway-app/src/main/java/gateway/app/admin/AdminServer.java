package gateway.app.admin;

import gateway.proxy.channel.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin listener ({@code admin.listen}): the status page, {@code /api/status}, {@code /metrics}
 * and the PAC file (see {@link AdminHandler}). It runs on an event loop of its own, apart from the
 * proxy's, which also samples the uplink history once a second.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final EventLoopGroup group;
  private final Channel listener;
  private volatile View view;

  /** What the listener shows and who may see it; a reload swaps it whole. */
  record View(AdminSources sources, AdminMetrics metrics, Optional<String> token) {}

  private AdminServer(
      InetSocketAddress bind, AdminSources sources, Optional<String> token, Transport transport)
      throws InterruptedException {
    group = transport.newGroup(1);
    view = new View(sources, new AdminMetrics(sources), token);
    StatusPage page = StatusPage.load();
    try {
      listener =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannel())
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      // Admin requests are small GETs: aggregating them whole is fine here (never
                      // on the
                      // proxy path). An idle admin connection is closed after a minute.
                      ch.pipeline()
                          .addLast(new ReadTimeoutHandler(60))
                          .addLast(new HttpServerCodec(4096, 16 * 1024, 8192))
                          .addLast(new HttpObjectAggregator(16 * 1024))
                          .addLast(new AdminHandler(() -> view, page));
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    sources.sampleHistory();
    group
        .next()
        .scheduleAtFixedRate(
            () -> {
              try {
                view.sources().sampleHistory();
              } catch (RuntimeException e) {
                log.warn("status history sample failed: {}", e.toString());
              }
            },
            1,
            1,
            TimeUnit.SECONDS);
    log.info(
        "admin listening on http://{}/ (status page, /api/status, /metrics, /proxy.pac)",
        address());
  }

  /** Binds {@code bind}; throws when the address is taken or not ours. */
  public static AdminServer start(
      InetSocketAddress bind, AdminSources sources, Optional<String> token, Transport transport)
      throws InterruptedException {
    return new AdminServer(bind, sources, token, transport);
  }

  /**
   * Shows {@code sources} (a reload changed the uplinks, the rules or the config shown) and asks
   * for {@code token} from the next request on. The metrics are registered afresh for the new
   * uplinks and rules; their counts come from the sources, so none starts again from zero.
   */
  public void update(AdminSources sources, Optional<String> token) {
    view = new View(sources, new AdminMetrics(sources), token);
  }

  /** Where it listens (the bound port). */
  public InetSocketAddress address() {
    InetSocketAddress a = (InetSocketAddress) listener.localAddress();
    return a;
  }

  @Override
  public void close() {
    listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
  }
}
