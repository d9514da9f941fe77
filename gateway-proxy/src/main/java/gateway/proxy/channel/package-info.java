/**
 * Low Netty plumbing every connection uses: {@code Transport} (epoll or NIO: the channel classes
 * and event loops) and {@code IdleTimeout} (closes nothing itself: signals an idle connection).
 * Under the whole request's path; depends on no other package of the proxy.
 */
package gateway.proxy.channel;
