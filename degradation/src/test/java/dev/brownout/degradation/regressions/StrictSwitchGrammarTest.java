package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.degradation.Switch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15, finding 9: {@code ROLLOUT -0%} was accepted and did not read back to the same switch,
 * and Java's number syntax ({@code 25d}, {@code 0x1p4}, {@code 1e2}) was accepted as a share. The
 * share is now plain decimal digits, and an attribute given twice (or both expiries) is refused.
 */
class StrictSwitchGrammarTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ROLLOUT -0%", "ROLLOUT -0", "ROLLOUT 25d", "ROLLOUT 25f", "ROLLOUT 0x1p4", "ROLLOUT 1e2",
            "ROLLOUT +5",
        "ROLLOUT .5", "ROLLOUT 5.", "ROLLOUT NaN", "ROLLOUT Infinity", "ROLLOUT 5%%", "ROLLOUT ５",
            "ROLLOUT 1_0"
      })
  void aShareIsPlainDecimalDigits(String text) {
    assertThatThrownBy(() -> Switch.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "OFF by=a by=b",
        "OFF for=1m for=2m",
        "OFF for=1m until=2026-01-01T00:00:00Z",
        "OFF until=2026-01-01T00:00:00Z for=1m"
      })
  void anAttributeIsGivenOnce(String text) {
    assertThatThrownBy(() -> Switch.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ROLLOUT 0%",
        "ROLLOUT 0",
        "ROLLOUT 0.00",
        "ROLLOUT 100",
        "ROLLOUT 100.0%",
        "ROLLOUT 2.5",
        "ROLLOUT 07"
      })
  void everyAcceptedShareReadsBackToTheSameSwitch(String text) {
    Switch parsed = Switch.parse(text);
    assertThat(Switch.parse(parsed.toString())).isEqualTo(parsed);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-0.0, 0.0})
  void zeroIsOneShare(double zero) {
    assertThat(Switch.rollout(zero)).isEqualTo(Switch.rollout(0)).hasToString("ROLLOUT 0%");
  }
}
