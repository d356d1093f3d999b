package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Feature;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 3: a ROLLOUT hashed the key's {@code hashCode} unsalted, so every rollout picked
 * the same first keys (two features at 10 % went to the same users), and an enum key hashed by its
 * identity, differently in every JVM.
 */
class UnsaltedRolloutHashTest {

  private static final int KEYS = 20_000;

  private final Brownout brownout =
      Brownout.builder()
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  private final Features features = Features.of(brownout);

  @AfterEach
  void close() {
    brownout.close();
  }

  /** Sixteen constants: the identity hash matches the name's by chance once in 2^16. */
  enum Region {
    AF,
    AP,
    CA,
    CN,
    EU,
    IL,
    IN,
    JP,
    KR,
    ME,
    MX,
    NZ,
    SA,
    SG,
    UK,
    US
  }

  @Test
  void twoRolloutsOfTenPercentShareAboutOnePercentOfKeys() {
    features.set("search", Switch.rollout(10));
    features.set("checkout", Switch.rollout(10));
    Feature search = features.feature("search");
    Feature checkout = features.feature("checkout");
    int both = 0;
    for (long id = 0; id < KEYS; id++) {
      both += search.isEnabled(id) && checkout.isEnabled(id) ? 1 : 0;
    }
    // Independent orders: 1 % in both, within six standard deviations (the old hash gave 10 %).
    assertThat((double) both / KEYS).isCloseTo(0.01, offset(6 * Math.sqrt(0.01 * 0.99 / KEYS)));
  }

  @Test
  void anEnumKeyIsHashedByItsNameTheSameInEveryJvm() {
    features.set("search", Switch.rollout(50));
    Feature search = features.feature("search");
    for (Region region : Region.values()) {
      assertThat(search.isEnabled(region))
          .as(region.name())
          .isEqualTo(search.isEnabled(region.name()));
    }
    assertThat(search.isEnabled(7))
        .isEqualTo(search.isEnabled(7L))
        .isEqualTo(search.isEnabled(Long.valueOf(7)));
  }
}
