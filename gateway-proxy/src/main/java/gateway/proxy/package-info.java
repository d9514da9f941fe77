/**
 * The HTTP/1.1 forward proxy. {@code ProxyContext} (open it first) is what every connection's
 * handlers share; {@code LiveConfig} is the config in force, swapped whole by a reload. A request's
 * path, in order, with the package and the class that owns each step:
 *
 * <ol>
 *   <li>accept: {@code server} ({@code ProxyServer}, {@code ClientInitializer});
 *   <li>guard and parse: {@code http} (the client handler, {@code RequestHeadTimer}, {@code
 *       RequestCheck});
 *   <li>admission: {@code admission} ({@code Admission}, a pure verdict), asking {@code access}
 *       and {@code limit};
 *   <li>cache lookup and serving: {@code caching} ({@code CacheLeg}) over {@code cache} ({@code
 *       HttpCache});
 *   <li>uplink choice: {@code upstream} ({@code Router}) with gateway-pcc's {@code
 *       gateway.pcc.select} ({@code UplinkSelector});
 *   <li>connect and race: {@code upstream} ({@code UpstreamConnector}, {@code ConnectRace});
 *   <li>forwarding: {@code origin} (the origin leg) or, for CONNECT, {@code tunnel} ({@code
 *       ConnectTunnel});
 *   <li>response and store: {@code origin} ({@code OriginResponseHandler}), {@code caching} and
 *       {@code cache.store};
 *   <li>log: {@code log} ({@code AccessLog}), one Squid line per request or tunnel.
 * </ol>
 *
 * <p>High depends on low, never back: {@code channel}, {@code message}, {@code access}, {@code
 * limit}, {@code log} and {@code cache.policy} are the low packages.
 */
package gateway.proxy;
