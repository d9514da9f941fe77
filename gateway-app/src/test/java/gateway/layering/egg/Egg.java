package gateway.layering.egg;

import gateway.layering.hen.Hen;

/** The other half of the package cycle {@code LayeringTest} must report. */
public final class Egg {
  public Hen hatch() {
    return new Hen();
  }
}
