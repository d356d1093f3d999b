package dev.brownout.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.ClassicWindow.Rates;
import org.junit.jupiter.api.Test;

class CountWindowTest {

  private final CircuitBreakerConfig config =
      CircuitBreakerConfig.builder()
          .slidingWindow(CircuitBreakerConfig.WindowType.COUNT_BASED, 10, 10)
          .build();

  @Test
  void aWindowFullOfSuccessesGoesQuietAndAFailureWakesItAsAFullWindow() {
    CountWindow window = new CountWindow(config, 10, 10, false);
    for (int i = 0; i < 5_000 && !window.isQuiet(); i++) {
      window.record(0);
    }
    assertThat(window.isQuiet()).isTrue();

    assertThat(window.record(ClassicWindow.FAILED)).isEqualTo(Rates.BELOW_THRESHOLDS);
    assertThat(window.isQuiet()).isFalse();
    for (int i = 0; i < 3; i++) {
      window.record(ClassicWindow.FAILED);
    }
    // 4 failures in the last 10 calls: 40% < 50%; the fifth makes it 50%.
    assertThat(window.record(ClassicWindow.FAILED)).isEqualTo(Rates.FAILURE_RATE_EXCEEDED);
  }

  @Test
  void aWindowWithAFailureInItDoesNotGoQuiet() {
    CountWindow window = new CountWindow(config, 10, 10, false);
    window.record(ClassicWindow.FAILED);
    for (int i = 0; i < 8; i++) {
      window.record(0);
    }
    assertThat(window.isQuiet()).isFalse();
  }

  @Test
  void aHalfOpenWindowNeverGoesQuiet() {
    CountWindow window = new CountWindow(config, 10, 10, true);
    for (int i = 0; i < 2_000; i++) {
      window.record(0);
    }
    assertThat(window.isQuiet()).isFalse();
  }
}
