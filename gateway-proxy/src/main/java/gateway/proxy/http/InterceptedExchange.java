package gateway.proxy.http;

import gateway.proxy.ProxyContext;
import gateway.proxy.admission.InterceptedRequest;
import gateway.proxy.caching.CacheLeg;
import gateway.proxy.exchange.Exchange;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Starts an intercepted request's exchange, through the cache or past it as its {@link
 * InterceptedRequest.HostCheck} allows: a {@code Host} that is the destination's address goes
 * through the cache; a name does once the gateway's own resolver (the one routes use) was seen to
 * resolve it to a set that holds the destination, and otherwise goes to the destination neither
 * served from the cache nor stored in it (else any client could store its own server's answer under
 * another site's URL for everyone). While the name is being resolved, what the client sends waits.
 */
final class InterceptedExchange {
  private InterceptedExchange() {}

  static void start(
      ProxyContext proxy,
      ClientConnection connection,
      CacheLeg cache,
      Exchange ex,
      InterceptedRequest.HostCheck check) {
    if (check == InterceptedRequest.HostCheck.DESTINATION) {
      cache.request(ex);
      return;
    }
    if (check == InterceptedRequest.HostCheck.NONE || proxy.cache() == null) {
      cache.origin().send(ex);
      return;
    }
    InetSocketAddress destination = connection.interceptedTo();
    connection.verifying = true;
    Future<List<InetAddress>> lookup =
        proxy.router().addresses(connection.client.channel().eventLoop(), ex.target.host());
    lookup.addListener(
        f -> {
          if (!connection.isCurrent(ex)) {
            return;
          }
          connection.verifying = false;
          // A name that does not resolve at all resolves to no set that holds the destination.
          if (f.isSuccess() && InterceptedRequest.resolvesTo(lookup.getNow(), destination)) {
            cache.request(ex);
          } else {
            cache.origin().send(ex);
          }
          connection.serveWaitingBody(ex);
        });
  }
}
