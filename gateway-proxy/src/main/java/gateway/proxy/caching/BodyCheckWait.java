package gateway.proxy.caching;

import gateway.proxy.cache.store.CachedObject;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.CompletionStage;

/**
 * Holds a request whose stored body is still being checked ({@link CachedObject#bodyCheck()}): the
 * first hit on a disk file in this process, whose check reads the whole file on the disk tier's
 * threads. The request goes on, on its own event loop, once the check is over; that loop serves its
 * other connections meanwhile. The connection reads nothing more while it waits: requests it
 * pipelined stay queued, in order, as behind any response in progress.
 *
 * <p>Memory hits and disk hits checked before are not held: no future, no hop.
 */
final class BodyCheckWait {
  private BodyCheckWait() {}

  /**
   * Runs {@code then} on {@code loop} once {@code check} is over, passed or not ({@link
   * CachedObject#open()} then gives the body, or null for a damaged one). Nothing is held
   * meanwhile, so {@code then} need only see whether its request is still wanted (the client may
   * have gone); should the loop have shut down by then, {@code then} does not run at all.
   *
   * @param check {@link CachedObject#bodyCheck()}, not null: callers ask for it first, so that a
   *     hit that need not wait allocates nothing here
   */
  static void then(CompletionStage<Boolean> check, EventExecutor loop, Runnable then) {
    check.whenComplete((passed, failed) -> loop.execute(then));
  }
}
