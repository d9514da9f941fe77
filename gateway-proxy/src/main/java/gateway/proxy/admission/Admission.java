package gateway.proxy.admission;

import gateway.core.log.CacheAction;
import gateway.core.metrics.Refusal;
import gateway.core.metrics.RuleCounters;
import gateway.core.net.HostLiteral;
import gateway.proxy.access.AccessRules;
import gateway.proxy.answer.OwnAnswers;
import gateway.proxy.answer.PacRequest;
import gateway.proxy.message.RequestTarget;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.LocalDateTime;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Whether a request head is let in, and as what: a pure function of the head, what is known of the
 * client and the rules in force. In order: the PAC file, the request check ({@link RequestCheck}),
 * {@code clients.allow}, the per-client connection limit, a forwarding loop ({@code Via}), the
 * access rules (an IP literal is its own destination: rules on the address decide it now, before
 * the cache), the CONNECT ports, the PURGE rights. The first that decides wins.
 *
 * <p>On an intercepted connection (transparent mode: the client connected to an origin's address,
 * not to the gateway) the client talks to that origin: there is no PAC file and no PURGE of the
 * gateway's own (both go to the origin like any request), the target must be origin-form with a
 * {@code Host} ({@link InterceptedRequest}), the access rules see the {@code Host} as the domain
 * and the connection's destination as the address, and what is let in is {@link Intercepted}.
 */
public final class Admission {

  /** What to do with a request. */
  public sealed interface Verdict permits Pac, Answer, Tunnel, Purge, Admitted, Intercepted {}

  /** The PAC file is asked for (see {@link PacRequest}): the gateway answers it. */
  public record Pac() implements Verdict {}

  /**
   * The gateway answers itself with {@code status} and the page's {@code reason}: a refusal (then
   * {@code refusal} says why), or a redirect ({@code location}).
   *
   * @param target the request's target, null when it is not known (the request check failed)
   * @param rule the access rule or limit behind the answer, for the log; else null
   */
  public record Answer(
      RequestTarget target,
      HttpResponseStatus status,
      String reason,
      CacheAction action,
      boolean keepAlive,
      String rule,
      String location,
      Refusal refusal)
      implements Verdict {}

  /** A CONNECT to {@code target}: the connection becomes a tunnel. */
  public record Tunnel(RequestTarget target) implements Verdict {}

  /** A PURGE of {@code target}'s URL, from an admin's address. */
  public record Purge(RequestTarget target, boolean keepAlive) implements Verdict {}

  /** Forward the request to {@code target} (through the cache, if there is one). */
  public record Admitted(RequestTarget target, boolean keepAlive) implements Verdict {}

  /**
   * Forward an intercepted request to {@code destination}, the address its client connected to, and
   * to no other; {@code target} names it for the rules, the log and the cache, as far as {@code
   * hostCheck} lets it.
   */
  public record Intercepted(
      RequestTarget target,
      boolean keepAlive,
      InetSocketAddress destination,
      InterceptedRequest.HostCheck hostCheck)
      implements Verdict {}

  /**
   * The verdict, and what the access rules decided on the way (null when they were not asked): the
   * caller counts that decision per rule.
   */
  public record Outcome(Verdict verdict, AccessRules.Decision rules) {}

  /**
   * What is known of the client when its request comes.
   *
   * @param allowed whether {@code clients.allow} lets it use the proxy
   * @param overLimit the per-client connection limit this connection exceeds, or 0 when within it
   * @param admin whether the address is one of the admin's ({@code admin.allow}: PURGE)
   * @param reusable whether the connection may stay open after this request (the gateway is not
   *     draining, the pipelined queue did not overflow)
   * @param interceptedTo the address the client connected to when its connection was intercepted
   *     (transparent mode), or null on the proxy port, where the request's target says where it
   *     goes
   */
  public record Client(
      InetAddress address,
      String addressText,
      boolean allowed,
      int overLimit,
      boolean admin,
      boolean reusable,
      InetSocketAddress interceptedTo) {

    /** A client on the proxy port. */
    public Client(
        InetAddress address,
        String addressText,
        boolean allowed,
        int overLimit,
        boolean admin,
        boolean reusable) {
      this(address, addressText, allowed, overLimit, admin, reusable, null);
    }
  }

  /**
   * The rules in force.
   *
   * @param maxHeaders the most header fields a request may have
   * @param viaIsSelf whether a request's {@code Via} values name this gateway
   * @param now local wall-clock time of the request, for the access rules' time windows
   */
  public record Rules(
      int maxHeaders,
      Predicate<String> viaIsSelf,
      AccessRules access,
      LocalDateTime now,
      Set<Integer> connectPorts) {}

  private Admission() {}

  public static Outcome decide(HttpRequest req, Client client, Rules rules) {
    InetSocketAddress intercepted = client.interceptedTo();
    if (intercepted == null && client.allowed() && PacRequest.matches(req)) {
      return new Outcome(new Pac(), null);
    }
    boolean hasBody = OwnAnswers.hasBody(req);
    RequestCheck.Verdict check = RequestCheck.check(req, rules.maxHeaders(), intercepted);
    if (check instanceof RequestCheck.Reject reject) {
      boolean keep = !reject.framingBroken() && !hasBody && HttpUtil.isKeepAlive(req);
      return answer(
          null,
          reject.status(),
          reject.reason(),
          CacheAction.TAG_NONE,
          keep,
          null,
          Refusal.INVALID_REQUEST);
    }
    RequestCheck.Forward forward = (RequestCheck.Forward) check;
    RequestTarget target = forward.target();
    boolean keepAlive = HttpUtil.isKeepAlive(req) && client.reusable();
    if (!client.allowed()) {
      return answer(
          target,
          HttpResponseStatus.FORBIDDEN,
          "your address " + client.addressText() + " is not allowed to use this proxy",
          CacheAction.TCP_DENIED,
          false,
          null,
          Refusal.CLIENT_NOT_ALLOWED);
    }
    if (client.overLimit() > 0) {
      return answer(
          target,
          HttpResponseStatus.TOO_MANY_REQUESTS,
          "your computer ("
              + client.addressText()
              + ") already has "
              + client.overLimit()
              + " connections open"
              + " through the gateway, the most allowed per computer; close some (a download manager,"
              + " many tabs) and try again",
          CacheAction.TCP_DENIED,
          false,
          RuleCounters.CLIENT_CONNECTIONS,
          Refusal.CLIENT_CONNECTIONS);
    }
    if (req.headers().contains(HttpHeaderNames.VIA)
        && rules.viaIsSelf().test(String.join(",", req.headers().getAll(HttpHeaderNames.VIA)))) {
      return answer(
          target,
          HttpResponseStatus.FORBIDDEN,
          "forwarding loop: this request already passed through this gateway",
          CacheAction.TCP_DENIED,
          false,
          null,
          Refusal.FORWARDING_LOOP);
    }
    AccessRules.Decision d = null;
    if (!rules.access().isEmpty()) {
      d =
          rules
              .access()
              .decide(
                  DestinationRules.accessRequest(client.address(), req, target, forward.connect())
                      .at(
                          intercepted != null
                              ? intercepted.getAddress()
                              : HostLiteral.address(target.host()).orElse(null)),
                  rules.now());
      boolean keep = keepAlive && !hasBody;
      if (d instanceof AccessRules.Deny deny) {
        return new Outcome(
            new Answer(
                target,
                HttpResponseStatus.FORBIDDEN,
                target.host() + " is blocked by the office's access rule '" + deny.rule() + "'",
                CacheAction.TCP_DENIED,
                keep,
                deny.rule(),
                null,
                Refusal.ACCESS_RULE),
            d);
      }
      if (d instanceof AccessRules.Redirect redirect) {
        if (forward.connect()) {
          // A tunnel cannot be redirected: the browser only sees a failed CONNECT.
          return new Outcome(
              new Answer(
                  target,
                  HttpResponseStatus.FORBIDDEN,
                  target.host()
                      + " is redirected by the office's access rule '"
                      + redirect.rule()
                      + "'",
                  CacheAction.TCP_DENIED,
                  keep,
                  redirect.rule(),
                  null,
                  Refusal.ACCESS_RULE),
              d);
        }
        return new Outcome(
            new Answer(
                target,
                HttpResponseStatus.FOUND,
                "see " + redirect.location() + " (access rule '" + redirect.rule() + "')",
                CacheAction.TCP_REDIRECT,
                keep,
                redirect.rule(),
                redirect.location(),
                null),
            d);
      }
    }
    if (forward.connect()) {
      if (!rules.connectPorts().contains(target.port())) {
        return new Outcome(
            new Answer(
                target,
                HttpResponseStatus.FORBIDDEN,
                "CONNECT to port "
                    + target.port()
                    + " is not allowed (allowed: "
                    + rules.connectPorts().stream().sorted().toList()
                    + ")",
                CacheAction.TCP_DENIED,
                keepAlive,
                null,
                null,
                Refusal.CONNECT_PORT),
            d);
      }
      return new Outcome(new Tunnel(target), d);
    }
    if (intercepted != null) {
      return new Outcome(
          new Intercepted(
              target, keepAlive, intercepted, InterceptedRequest.hostCheck(target, intercepted)),
          d);
    }
    if (req.method().name().equals("PURGE")) {
      if (!client.admin()) {
        return new Outcome(
            new Answer(
                target,
                HttpResponseStatus.FORBIDDEN,
                "PURGE is allowed only from the admin's addresses (admin.allow)",
                CacheAction.TCP_DENIED,
                keepAlive,
                null,
                null,
                Refusal.PURGE_NOT_ALLOWED),
            d);
      }
      return new Outcome(new Purge(target, keepAlive), d);
    }
    return new Outcome(new Admitted(target, keepAlive), d);
  }

  private static Outcome answer(
      RequestTarget target,
      HttpResponseStatus status,
      String reason,
      CacheAction action,
      boolean keepAlive,
      String rule,
      Refusal refusal) {
    return new Outcome(
        new Answer(target, status, reason, action, keepAlive, rule, null, refusal), null);
  }
}
