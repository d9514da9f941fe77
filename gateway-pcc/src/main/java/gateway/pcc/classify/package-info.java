/**
 * Per-connection classifiers (MikroTik's nine) and the one flow hash: which fields of a flow key
 * pick its uplink. Pure. On the request's path inside the uplink choice, before the upstream
 * connect.
 */
package gateway.pcc.classify;
