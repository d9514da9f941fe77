package gateway.proxy.cache.store;

import gateway.proxy.cache.policy.StoredHead;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One download in progress into the cache, which other clients asking for the same URL meanwhile
 * are fed from (collapsed forwarding): the first client's request goes upstream, the others wait
 * for its response head and then read the body from the {@link ObjectWriter} as it grows.
 *
 * <p>The leader (on its event loop) moves the fill through its states; followers register from
 * their own loops and are told of every change through {@link Follower#fillChanged()}, which must
 * only schedule work on the follower's loop. The state is published under this object's lock, so a
 * follower always sees a consistent head, writer and outcome.
 *
 * <p>A download that no longer waits for the leader's client (it left while the body streamed in,
 * or the leader's client is fed from the writer like the others) {@linkplain #carryOn carries on}
 * for the clients fed from it, until its end or until the last of them leaves too.
 *
 * <p>Once complete, the writer stays readable for the clients still fed from it, however far behind
 * they are, and whatever the store did with the object meanwhile: the fill tells the writer its
 * {@linkplain ObjectWriter#readersDone readers are done} when the last of them has left.
 */
public final class Fill {
  /** A client fed from this fill. */
  public interface Follower {
    /**
     * Something changed (head known, more body, finished, failed): look again, on your own loop.
     */
    void fillChanged();
  }

  /** Where the fill is. */
  public enum Stage {
    /** Waiting for the origin's response head. */
    WAITING,
    /** The head is known and storable; the body is streaming into the writer. */
    FILLING,
    /** The whole body is in the writer (it may still be being committed). */
    COMPLETE,
    /** The response is not being stored (not storable, not taken by the store): fetch your own. */
    NOT_STORED,
    /** The origin confirmed the stored response (304): look it up again, it is fresh now. */
    REFRESHED,
    /** The download broke off: followers past the head can only end their connection. */
    FAILED
  }

  private final String url;
  private final Consumer<Fill> onEnd;
  private final List<Follower> followers = new ArrayList<>(2);
  private Stage stage = Stage.WAITING;
  private StoredHead head;
  private ObjectWriter writer;

  /**
   * Set while the fill carries on without the leader's client: run when its last follower leaves.
   */
  private Runnable unattended;

  /** The complete writer was told that nobody reads it any more. */
  private boolean writerLetGo;

  /**
   * @param onEnd run once when the fill stops taking followers (completes, fails or is not stored)
   */
  public Fill(String url, Consumer<Fill> onEnd) {
    this.url = url;
    this.onEnd = onEnd;
  }

  public String url() {
    return url;
  }

  /**
   * Adds a follower unless the fill is already over; returns false when it is (the caller then
   * fetches on its own). A follower added to a fill that is filling is told at once.
   */
  public boolean follow(Follower f) {
    synchronized (this) {
      if (stage != Stage.WAITING && stage != Stage.FILLING) {
        return false;
      }
      followers.add(f);
    }
    f.fillChanged();
    return true;
  }

  /**
   * Forgets {@code f}. When {@code f} was the last client a fill {@linkplain #carryOn carried on}
   * for, nobody wants the rest: the fill fails at once (so that no one new follows a download about
   * to stop) and its {@code nobodyLeft} is run, on this caller's thread.
   */
  public void unfollow(Follower f) {
    Runnable stop;
    synchronized (this) {
      followers.remove(f);
      if (unattended == null || !followers.isEmpty()) {
        stop = null;
      } else {
        stop = unattended;
        unattended = null;
        stage = Stage.FAILED;
      }
    }
    if (stop == null) {
      letWriterGoWhenUnread();
      return;
    }
    onEnd.accept(this);
    stop.run();
  }

  /**
   * The download goes on without a client of its own while the body streams into the writer (the
   * leader's client left, or is itself fed from this fill). When others are fed from this fill, the
   * download carries on for them (true): the leader keeps writing, and {@code nobodyLeft} is run
   * should the last of them leave before the end (see {@link #unfollow}); it must only schedule the
   * download's stop on the leader's loop. False when nobody follows or the fill is not filling: a
   * download nobody waits for is not worth the uplink, the leader ends it.
   */
  public boolean carryOn(Runnable nobodyLeft) {
    synchronized (this) {
      if (stage != Stage.FILLING || followers.isEmpty()) {
        return false;
      }
      unattended = nobodyLeft;
      return true;
    }
  }

  /** How many clients wait on or are fed from this fill (tests). */
  public synchronized int followers() {
    return followers.size();
  }

  public synchronized Stage stage() {
    return stage;
  }

  public synchronized StoredHead head() {
    return head;
  }

  public synchronized ObjectWriter writer() {
    return writer;
  }

  /** The leader got a storable head and the store took it. */
  public void filling(StoredHead h, ObjectWriter w) {
    synchronized (this) {
      head = h;
      writer = w;
      stage = Stage.FILLING;
    }
    tellFollowers();
  }

  /** More of the body is in the writer. */
  public void advanced() {
    tellFollowers();
  }

  /**
   * The whole body is in the writer: nobody new follows, the writer is {@linkplain
   * ObjectWriter#commit committed}, and the followers are told. Those still behind read the rest
   * from the writer, kept readable until the last of them has left, whatever the store does with
   * the object meanwhile. Returns the commit's outcome.
   */
  public CompletableFuture<Boolean> complete() {
    ObjectWriter w;
    boolean ending;
    boolean read;
    synchronized (this) {
      w = writer;
      ending = stage == Stage.FILLING;
      if (ending) {
        stage = Stage.COMPLETE;
        unattended = null;
      }
      read = ending && !followers.isEmpty();
    }
    if (read) {
      w.keepReadable();
    }
    CompletableFuture<Boolean> committed = w.commit();
    if (ending) {
      onEnd.accept(this);
      tellFollowers();
      letWriterGoWhenUnread();
    }
    return committed;
  }

  public void notStored() {
    end(Stage.NOT_STORED);
  }

  public void refreshed() {
    end(Stage.REFRESHED);
  }

  public void failed() {
    end(Stage.FAILED);
  }

  private void end(Stage s) {
    synchronized (this) {
      if (stage != Stage.WAITING && stage != Stage.FILLING) {
        return;
      }
      stage = s;
      unattended = null;
    }
    onEnd.accept(this);
    tellFollowers();
  }

  /**
   * Once the fill is complete and nobody is fed from it any more, the writer can let its body go.
   */
  private void letWriterGoWhenUnread() {
    ObjectWriter w;
    synchronized (this) {
      if (stage != Stage.COMPLETE || !followers.isEmpty() || writerLetGo) {
        return;
      }
      writerLetGo = true;
      w = writer;
    }
    if (w != null) {
      w.readersDone();
    }
  }

  private void tellFollowers() {
    Follower[] now;
    synchronized (this) {
      if (followers.isEmpty()) {
        return;
      }
      now = followers.toArray(new Follower[0]);
    }
    for (Follower f : now) {
      f.fillChanged();
    }
  }
}
