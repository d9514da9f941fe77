/**
 * The HTTP/1.1 forward proxy. {@code ProxyContext} (open it first) is what every connection's
 * handlers share; {@code LiveConfig} is the config in force, swapped whole by a reload. A request's
 * path, in order, with the package and the class that owns each step:
 *
 * <ol>
 *   <li>accept: {@code server} ({@code ProxyServer}, {@code ClientInitializer});
 *   <li>guard and parse: {@code http} ({@code ClientHandler}, {@code RequestHeadTimer}); the
 *       exchange it starts is {@code exchange.Exchange};
 *   <li>admission: {@code admission} ({@code Admission}, a pure verdict, with {@code
 *       RequestCheck}), asking {@code access} and {@code limit}; the gateway's own answers (error
 *       pages, PAC, PURGE): {@code answer} ({@code OwnAnswers});
 *   <li>cache lookup and serving: {@code caching} ({@code CacheLeg}) over {@code cache} ({@code
 *       HttpCache});
 *   <li>uplink choice: {@code upstream} ({@code Router}) with gateway-pcc's {@code
 *       gateway.pcc.select} ({@code UplinkSelector});
 *   <li>connect and race: {@code upstream} ({@code UpstreamConnector}, {@code ConnectRace});
 *   <li>forwarding: {@code origin} ({@code OriginLeg}) or, for CONNECT, {@code tunnel} ({@code
 *       ConnectTunnel});
 *   <li>response and store: {@code origin} ({@code OriginResponseHandler}), {@code caching} and
 *       {@code cache.store};
 *   <li>log: {@code log} ({@code AccessLog}), one Squid line per request or tunnel.
 * </ol>
 *
 * <p>An intercepted connection (transparent mode) takes a shorter path: accept in {@code intercept}
 * ({@code TransparentServer}, {@code InterceptInitializer}), its first bytes read there ({@code
 * FirstBytesHandler}, with the pure {@code sniff}), then {@code InterceptedTunnel}: access rules,
 * uplink choice and connect through {@code upstream}, the relay of {@code tunnel} ({@code
 * TunnelSplice}) and its log line.
 *
 * <p>High depends on low, never back: {@code channel}, {@code message}, {@code access}, {@code
 * limit}, {@code log} and {@code cache.policy} are the low packages ({@code LayeringTest} in
 * gateway-app holds it).
 */
package gateway.proxy;
