package gateway.layering.hen;

import gateway.layering.egg.Egg;

/** Half of a package cycle on purpose: {@code LayeringTest} shows its cycle rule reports it. */
public final class Hen {
  public Egg lay() {
    return new Egg();
  }
}
