package dev.brownout.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FeatureMetersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();
  private final FeatureMeters meters = new FeatureMeters(brownout);

  @AfterEach
  void close() {
    brownout.close();
  }

  @Test
  void aCounterIsMadeOncePerKeyAndSharedByItsUsers() {
    meters.degradedCalls("feed", "constant").increment();
    meters.degradedCalls("feed", "constant").increment();
    meters.degradedCalls("feed", "fail").increment();

    assertThat(meters.degradedCalls("feed", "constant"))
        .isSameAs(meters.degradedCalls("feed", "constant"));
    assertThat(
            registry
                .get("brownout.feature.degraded.calls")
                .tags("feature", "feed", "strategy", "constant")
                .functionCounter()
                .count())
        .isEqualTo(2.0);
    assertThat(registry.find("brownout.feature.degraded.calls").functionCounters()).hasSize(2);
  }

  @Test
  void sourceErrorsAndChangesAreCountedByTheirSourceName() {
    meters.countSourceError("file:/etc/features.properties");
    meters.countChange(ChangeSource.source("shared"));
    meters.countChange(ChangeSource.source("shared"));

    assertThat(
            registry
                .get("brownout.switch.source.errors")
                .tag("source", "file:/etc/features.properties")
                .functionCounter()
                .count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get("brownout.feature.changes")
                .tag("source", "shared")
                .functionCounter()
                .count())
        .isEqualTo(2.0);
  }

  @Test
  void theLevelGaugeReadsItsOwner() {
    int[] level = {3};

    meters.bindLevel(level, l -> l[0]);

    assertThat(registry.get("brownout.level").gauge().value()).isEqualTo(3.0);
  }
}
