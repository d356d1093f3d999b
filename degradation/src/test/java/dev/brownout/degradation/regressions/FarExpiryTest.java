package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.FileSwitchSource;
import dev.brownout.degradation.Switch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, finding 1: an OFF switch with a far expiry ({@code until=2500-…}, {@code until=1600-…},
 * {@code for=110000d}) was accepted by parsing and then made {@code Features.set} throw half-way,
 * and from a file it stopped the other switches of the same file from being applied. Its validity
 * is now decided when the switch is made, and a file with such a switch is refused as a whole.
 */
class FarExpiryTest {

  @TempDir Path dir;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout =
      Brownout.builder()
          .meterRegistry(registry)
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  private final Features features = Features.of(brownout);

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aFarExpiryIsRefusedWhenTheSwitchIsMadeWithTheValueNamed() {
    assertThatThrownBy(() -> Switch.parse("OFF until=2500-01-01T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("switch.until")
        .hasMessageContaining("2500-01-01T00:00:00Z");
    assertThatThrownBy(() -> Switch.parse("OFF until=1600-01-01T00:00:00Z"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("switch.until")
        .hasMessageContaining("1600-01-01T00:00:00Z");
    assertThatThrownBy(() -> Switch.parse("OFF for=110000d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("switch.lasting")
        .hasMessageContaining("PT2640000H");
    assertThatThrownBy(() -> Switch.parse("OFF for=99999999999999999999d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("switch.for")
        .hasMessageContaining("99999999999999999999d");
    assertThatThrownBy(() -> Switch.off("x").until(Instant.MAX))
        .hasMessageContaining("switch.until");
    assertThatThrownBy(() -> Switch.off("x").lasting(Duration.ofDays(110_000)))
        .hasMessageContaining("switch.lasting");
  }

  @Test
  void theLongestExpiriesAllowedAreSetAndExpireWithoutOverflow() {
    features.set("far", Switch.parse("OFF until=2199-12-31T23:59:59Z"));
    features.set("long", Switch.parse("OFF for=36500d"));
    features.set("past", Switch.parse("OFF until=1970-01-01T00:00:00Z"));
    features.refresh();

    assertThat(features.feature("far").isEnabled()).isFalse();
    assertThat(features.feature("long").isEnabled()).isFalse();
    assertThat(features.feature("past").isEnabled()).as("an expiry in the past has ended").isTrue();
  }

  @Test
  void aFileWithAFarExpiryIsRefusedAsAWholeAndCounted() throws Exception {
    Path file = dir.resolve("features.properties");
    Files.writeString(
        file, "first = OFF reason=kept\nfar = OFF until=2500-01-01T00:00:00Z\nlast = ROLLOUT 5%\n");

    features.addSource(FileSwitchSource.of(file));

    assertThat(features.snapshot()).doesNotContainKeys("first", "far", "last");
    assertThat(
            registry
                .get("brownout.switch.source.errors")
                .tag("source", "file:" + file)
                .functionCounter()
                .count())
        .isEqualTo(1.0);
  }
}
