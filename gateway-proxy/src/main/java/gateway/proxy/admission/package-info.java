/**
 * Admission, the step after a request head is parsed: whether the request is let in, and as what
 * (forwarded, answered by the gateway itself, a tunnel, the PAC file, a PURGE). A pure function of
 * the head, the client and the rules in force, tested by tables; open {@link
 * gateway.proxy.admission.Admission} first. {@link gateway.proxy.admission.DestinationRules} checks
 * the rules on the origin's address later, once DNS has answered.
 */
package gateway.proxy.admission;
