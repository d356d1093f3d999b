package dev.brownout.degradation;

import dev.brownout.core.ConfigSource;
import dev.brownout.core.internal.Durations;
import dev.brownout.core.internal.Settings;
import java.time.Duration;

/**
 * The configuration keys of {@link Features}, read and checked once when the features are created:
 * a bad value fails there, naming the key and the value.
 *
 * @param historyLimit {@value Features#HISTORY_KEY}: the most audit entries kept (default 1000)
 * @param refresh {@value Features#REFRESH_KEY}: the refresh period (default 1 s), or zero to
 *     refresh only on {@link Features#refresh()} calls
 * @param sourceTimeoutNanos {@value Features#SOURCE_TIMEOUT_KEY}: how long a source's read may take
 *     before it is counted as an error (default 10 s)
 */
record FeaturesSettings(int historyLimit, Duration refresh, long sourceTimeoutNanos) {

  static FeaturesSettings from(ConfigSource config) {
    int history = config.get(Features.HISTORY_KEY).map(FeaturesSettings::history).orElse(1000);
    Duration refresh =
        config
            .get(Features.REFRESH_KEY)
            .map(
                v ->
                    v.trim().equals("0") ? Duration.ZERO : Durations.parse(Features.REFRESH_KEY, v))
            .orElse(Duration.ofSeconds(1));
    if (refresh.isNegative()) {
      throw Settings.invalid(
          Features.REFRESH_KEY,
          refresh,
          "must be positive, or 0 to refresh only on refresh() calls");
    }
    Duration sourceTimeout =
        config
            .get(Features.SOURCE_TIMEOUT_KEY)
            .map(v -> Durations.parse(Features.SOURCE_TIMEOUT_KEY, v))
            .orElse(Duration.ofSeconds(10));
    return new FeaturesSettings(
        history, refresh, Settings.positive(Features.SOURCE_TIMEOUT_KEY, sourceTimeout).toNanos());
  }

  private static int history(String value) {
    try {
      return Settings.positive(Features.HISTORY_KEY, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      throw Settings.invalid(
          Features.HISTORY_KEY, "'" + value + "'", "must be a positive whole number of entries");
    }
  }
}
