package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.degradation.Feature;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import org.jspecify.annotations.Nullable;

/**
 * Whatever the new path does, the caller of an experiment gets what the old path alone would have
 * given it: the same value instance, or the same exception instance; with noise cancellation too,
 * where the old path runs a second time.
 */
class CallerOutcomeProperties {

  private static final TestRuntime RUNTIME = new TestRuntime();

  @AfterContainer
  static void close() {
    RUNTIME.close();
  }

  enum Control {
    VALUE,
    NULL,
    CHECKED,
    UNCHECKED
  }

  enum Candidate {
    EQUAL,
    DIFFERENT,
    NULL,
    THROWS,
    HANGS,
    COMPARE_THROWS,
    CLEAN_THROWS,
    PUBLISHER_THROWS
  }

  private static final CountDownLatch NEVER = new CountDownLatch(1);

  @Property(tries = 200)
  void theCallerGetsTheControlsOutcomeWhateverTheCandidateDoes(
      @ForAll Control control,
      @ForAll Candidate candidate,
      @ForAll boolean keyed,
      @ForAll long key,
      @ForAll boolean noise)
      throws Exception {
    String value = new String("value");
    IOException checked = new IOException("checked");
    IllegalStateException unchecked = new IllegalStateException("unchecked");
    Experiment.Arm<String, IOException> old =
        () -> {
          return switch (control) {
            case VALUE -> value;
            case NULL -> null;
            case CHECKED -> throw checked;
            case UNCHECKED -> throw unchecked;
          };
        };
    Experiment.Arm<String, Exception> candidateArm =
        () ->
            switch (candidate) {
              case DIFFERENT -> "different";
              case NULL -> null;
              case THROWS -> throw new IllegalArgumentException("candidate");
              case HANGS -> {
                NEVER.await();
                yield "never";
              }
              default -> new String("value");
            };

    CompletableFuture<Result<String>> judged = new CompletableFuture<>();
    Feature feature = RUNTIME.feature();
    Experiment.Builder<String> builder =
        Experiment.<String>builder(RUNTIME.brownout, feature)
            .timeout(Duration.ofMillis(10))
            .publisher(
                result -> {
                  judged.complete(result);
                  if (candidate == Candidate.PUBLISHER_THROWS) {
                    throw new IllegalStateException("publisher");
                  }
                });
    if (candidate == Candidate.COMPARE_THROWS) {
      builder.compare(
          (a, b) -> {
            throw new IllegalStateException("compare");
          });
      builder.compareErrors(
          (a, b) -> {
            throw new IllegalStateException("compareErrors");
          });
    }
    if (candidate == Candidate.CLEAN_THROWS) {
      builder.clean(
          v -> {
            throw new IllegalStateException("clean");
          });
    }
    if (noise) {
      builder.noise(1.0).keepValues(true);
    }
    Experiment<String> experiment = builder.build();

    Object alone = outcome(old, candidateArm, null, keyed, key);
    Object beside = outcome(old, candidateArm, experiment, keyed, key);

    assertThat(beside).isSameAs(alone);
    assertThat(judged.get(10, TimeUnit.SECONDS)).isNotNull();
  }

  /** What the caller got: the value, or the exception thrown. */
  private static @Nullable Object outcome(
      Experiment.Arm<String, IOException> old,
      Experiment.Arm<String, Exception> candidate,
      @Nullable Experiment<String> experiment,
      boolean keyed,
      long key) {
    try {
      if (experiment == null) {
        return old.call();
      }
      return keyed ? experiment.run(key, old, candidate) : experiment.run(old, candidate);
    } catch (Throwable t) {
      return t;
    }
  }
}
