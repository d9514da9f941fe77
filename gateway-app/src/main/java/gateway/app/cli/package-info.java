/**
 * The command line: {@code Main} (open it first) and its commands {@code run}, {@code check},
 * {@code routes}, {@code firewall}, {@code status}, {@code purge} and {@code torch}, their options
 * and exit codes. Before the request's path: {@code run} loads the config, starts the gateway and
 * turns SIGHUP into a reload; the others talk to a running gateway or the system. The top of the
 * program: nothing in {@code gateway.app} depends on it.
 */
package gateway.app.cli;
