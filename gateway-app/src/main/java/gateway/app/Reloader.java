package gateway.app;

import gateway.core.config.GatewayConfig;
import gateway.core.net.Cidr;
import gateway.core.net.Uplink;
import gateway.pcc.health.HealthMonitor;
import gateway.pcc.health.HealthPolicy;
import gateway.pcc.health.HealthState;
import gateway.pcc.health.RosterChange;
import gateway.pcc.select.UplinkSelector;
import gateway.proxy.access.ClientFilter;
import gateway.proxy.access.Policy;
import gateway.proxy.log.AccessLogWriter;
import gateway.proxy.upstream.OriginResolver;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;

/**
 * Carries a reload out on the running parts ({@link Reload} says which keys apply in place): first
 * everything that can fail, then the uplinks through the health monitor, waiting for its loop, then
 * the rest, each swapped whole. See {@link Gateway#reload} for what each part does.
 */
final class Reloader {
  private static final Logger log = Gateway.LOG;

  /** How long a reload waits for the health monitor's loop to take the new uplinks. */
  private static final long UPLINKS_WAIT_SECONDS = 5;

  private final Wiring parts;
  private final Lifecycle lifecycle;

  Reloader(Wiring parts, Lifecycle lifecycle) {
    this.parts = parts;
    this.lifecycle = lifecycle;
  }

  /** Applies {@code next}; returns the keys whose changes need a restart (left as they were). */
  synchronized List<String> reload(GatewayConfig next) throws IOException {
    GatewayConfig before = parts.live.config();
    List<String> needsRestart = Reload.needsRestart(before, next);
    GatewayConfig target = Reload.applied(before, next);

    // What can fail, before anything changes.
    List<Uplink> uplinks = UplinkDevices.verify(Wiring.uplinks(target), target);
    UplinkSelector base = Wiring.selector(target, uplinks);
    List<Cidr> clients = Wiring.clientsAllowed(target, uplinks);
    List<Cidr> local = ClientNetworks.localNetworks(uplinks);
    boolean newLog = !target.log().equals(before.log());
    AccessLogWriter logWriter = newLog ? Wiring.openAccessLog(target.log()) : null;
    // The firewall last of what can fail: nft swaps the table whole or not at all.
    try {
      lifecycle.interception().reload(target.withClientsAllow(clients), target.shutdown().drain());
    } catch (IOException e) {
      if (logWriter != null) {
        logWriter.close();
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("reload interrupted while changing the transparent listener", e);
    }

    boolean dnsChanged =
        !target.dnsServers().equals(before.dnsServers())
            || !uplinks.equals(parts.selection.get().uplinks())
            || !local.equals(parts.router.localNetworks());
    Optional<RosterChange> roster = swapUplinks(target, uplinks, base);
    parts.router.localNetworks(local);
    if (dnsChanged) {
      OriginResolver old = parts.router.replaceResolver(parts.resolver(target, local));
      // Lookups under way finish with the old one (they time out within seconds).
      parts.group.schedule(old::close, 30, TimeUnit.SECONDS);
    }

    parts.connector.connectTimeout(target.timeouts().connect());
    parts.live.set(target, new ClientFilter(clients));
    parts.policies.swap(Policy.of(target));
    if (logWriter != null) {
      parts.accessLog.switchTo(logWriter);
      log.info(
          "access log now {}", target.log().toStdout() ? "standard output" : target.log().access());
    } else {
      parts.accessLog.reopen();
    }
    lifecycle
        .admin()
        .update(
            parts.adminSources(target.withClientsAllow(clients), uplinks, lifecycle.proxyAddress()),
            target.admin().token());

    log.info(
        "reloaded {}: uplinks {}, {} access rules, {} client groups, limits {}",
        next.source(),
        uplinks.stream()
            .map(u -> u.name() + "/" + u.weight() + (u.tier() > 1 ? "/tier" + u.tier() : ""))
            .toList(),
        next.access().size(),
        next.groups().size(),
        Reload.describeLimits(next));
    roster.ifPresent(r -> logFates(r, target));
    if (!needsRestart.isEmpty()) {
      log.warn("reload: changes to {} take effect only after a restart", needsRestart);
    }
    return needsRestart;
  }

  /**
   * The uplinks: health first, then the selection built on its verdicts, on the monitor's loop so
   * that no health change slips in between; then the retired uplinks' open connections are left to
   * run to their end. Waits up to {@value #UPLINKS_WAIT_SECONDS} s for the monitor; empty when it
   * did not answer (the swap then happens whenever it does).
   */
  private Optional<RosterChange> swapUplinks(
      GatewayConfig target, List<Uplink> uplinks, UplinkSelector base) {
    CompletableFuture<RosterChange> swapped = new CompletableFuture<>();
    parts
        .health
        .reconfigure(
            target.health(),
            HealthPolicy.of(target.health()),
            uplinks,
            Wiring.uplinkHealthTargets(target))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                swapped.completeExceptionally(f.cause());
                return;
              }
              HealthMonitor.Reconfigured done = (HealthMonitor.Reconfigured) f.getNow();
              parts.selection.set(base.withAvailable(done.available()));
              retire(done.roster());
              swapped.complete(done.roster());
            });
    try {
      return Optional.of(swapped.get(UPLINKS_WAIT_SECONDS, TimeUnit.SECONDS));
    } catch (ExecutionException | TimeoutException e) {
      log.error(
          "reload: the uplinks could not be applied: {}",
          e.getCause() == null ? "the health monitor did not answer" : e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Optional.empty();
  }

  /** Removed and replaced uplinks get no new connections; their open ones run to their end. */
  private void retire(RosterChange roster) {
    for (String gone : roster.retired()) {
      int open = parts.connector.retireUplink(gone);
      if (open > 0) {
        log.info(
            "uplink {} {} by reload: its {} open connections run to their end",
            gone,
            roster.names(RosterChange.Removed.class).contains(gone) ? "removed" : "changed",
            open);
      }
    }
  }

  /** One line per uplink that a reload added, replaced or removed. */
  private static void logFates(RosterChange roster, GatewayConfig target) {
    logStarted(roster, RosterChange.Added.class, "added", target);
    logStarted(roster, RosterChange.Replaced.class, "changed", target);
    for (String name : roster.names(RosterChange.Removed.class)) {
      log.info("uplink {} removed by reload: no new connections", name);
    }
  }

  private static void logStarted(
      RosterChange roster,
      Class<? extends RosterChange.Started> kind,
      String how,
      GatewayConfig target) {
    roster.fates().stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .forEach(
            started ->
                log.info(
                    "uplink {} {} by reload: {}",
                    started.name(),
                    how,
                    started.initial() == HealthState.DOWN
                        ? "carries new connections after "
                            + target.health().upAfter()
                            + " good probe rounds"
                        : "carries new connections now (no other uplink is up)"));
  }
}
