package dev.brownout.degradation.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, found while naming the parts of {@code Features}: a feature entered the name map before
 * the table that holds it was published, so a second thread looking the same name up could find it
 * and read past the end of the table ({@code ArrayIndexOutOfBoundsException} from {@code
 * isEnabled()}). A feature is now found only once it can be read.
 */
class FeatureSeenBeforePublishedTest {

  private static final int FEATURES = 1_000;

  @Test
  void aFeatureFoundByNameCanAlwaysBeRead() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Brownout brownout =
        Brownout.builder()
            .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
            .build()) {
      Features features = Features.of(brownout);
      CyclicBarrier start = new CyclicBarrier(2);
      Runnable lookUpEach =
          () -> {
            try {
              start.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            for (int i = 0; i < FEATURES; i++) {
              assertThat(features.feature("f" + i).isEnabled()).isTrue();
            }
          };
      Future<?> first = threads.submit(lookUpEach);
      Future<?> second = threads.submit(lookUpEach);

      first.get(60, TimeUnit.SECONDS);
      second.get(60, TimeUnit.SECONDS);
      assertThat(features.all()).hasSize(FEATURES);
    } finally {
      threads.shutdownNow();
    }
  }
}
