/**
 * Admission, the step after a request head is parsed: whether the request is let in, and as what
 * (forwarded, answered by the gateway itself, a tunnel, the PAC file, a PURGE). A pure function of
 * the head, the client and the rules in force, tested by tables; open {@link
 * gateway.proxy.admission.Admission} first. {@link gateway.proxy.admission.DestinationRules} checks
 * the rules on the origin's address later, once DNS has answered. {@link
 * gateway.proxy.admission.InterceptedRequest} reads the target of a request on an intercepted
 * connection (origin-form and {@code Host}) and says how far the cache may trust its {@code Host}.
 */
package gateway.proxy.admission;
