/**
 * Network values every module shares: {@code Uplink} (open it first), {@code HostPort}, {@code
 * FlowKey} (what the uplink choice hashes), {@code Cidr}, {@code DomainPattern}, {@code
 * HostLiteral}. Pure values, no I/O.
 */
package gateway.core.net;
