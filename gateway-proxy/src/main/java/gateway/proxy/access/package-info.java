/**
 * Who may use the proxy and where to: {@code AccessRules} (open it first; rules on the request, the
 * destination and the response), {@code Policies} (the rules and limits in force, swapped by a
 * reload), {@code ClientFilter} ({@code clients.allow}) and {@code LoopGuard} (requests addressed
 * to the gateway itself). Asked at admission and again after DNS, before connecting.
 */
package gateway.proxy.access;
