package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.core.GuardSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 7 (second message): a key under a guard's name that names no setting of it
 * listed every policy Brownout knows, in no fixed order, as if the guard had them all; it names the
 * guard's own policies now, in the order the guard declares them.
 */
class UnknownKeyNamesTheGuardsPoliciesTest {

  @Test
  void aKeyThatNamesNoSettingListsOnlyTheGuardsOwnPolicies() {
    ConfigSource config =
        ConfigSource.of(Map.of("brownout.guard.payments.retry.maxAttempts", "5"), "test settings");
    try (Brownout brownout = Brownout.builder().config(config).build()) {
      GuardSpec spec =
          GuardSpec.named("payments.retry")
              .set("retry", "maxAttempts", "3")
              .set("timeout", "duration", "1s");

      assertThatThrownBy(() -> spec.build(brownout))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "brownout.guard.payments.retry.maxAttempts = 5 (from test settings) is not a setting of guard"
                  + " 'payments.retry': expected brownout.guard.payments.retry.<policy>.<attribute> with a policy among"
                  + " [retry, timeout]");
    }
  }
}
