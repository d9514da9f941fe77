package gateway.proxy.upstream;

import gateway.core.net.Uplink;
import io.netty.channel.Channel;

/** A connected upstream socket and the uplink it leaves through (null when unbound). */
public record Connection(Channel channel, Uplink uplink, String uplinkName) {}
