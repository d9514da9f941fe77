package gateway.proxy.cache.policy;

import static gateway.proxy.cache.policy.Heads.stored;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A stored head is a value: what it works out and remembers for hits does not change that. */
class StoredHeadTest {

  @Test
  void equalFieldsMakeEqualHeads() {
    StoredHead aged = stored(200, "Date: @T+0 // Cache-Control: max-age=60", 0, 1);
    StoredHead fresh = stored(200, "Date: @T+0 // Cache-Control: max-age=60", 0, 1);
    Freshness.currentAgeMillis(aged, Heads.at(5));
    Freshness.lifetimeMillis(aged);

    assertThat(aged).isEqualTo(fresh).hasSameHashCodeAs(fresh);
    assertThat(aged).isNotEqualTo(stored(200, "Date: @T+0 // Cache-Control: max-age=60", 0, 2));
    assertThat(aged).isNotEqualTo(stored(203, "Date: @T+0 // Cache-Control: max-age=60", 0, 1));
  }

  @Test
  void theKeyJoinsUrlAndVariantWithANewline() {
    assertThat(Heads.ok("http://h/").key()).isEqualTo("http://h/");
    assertThat(Heads.ok("http://h/", "accept-encoding=gzip").key())
        .isEqualTo("http://h/\naccept-encoding=gzip");
  }
}
