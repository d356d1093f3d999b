package dev.brownout.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The mismatch log line of {@link Judge}, driven by a hand-moved clock. */
class JudgeTest {

  private final AtomicLong nanos = new AtomicLong(5);
  private final ExperimentMeters meters = new ExperimentMeters("e");
  private final Judge<String> judge = judge(false);

  private Judge<String> judge(boolean keepValues) {
    return new Judge<>(
        "e",
        meters,
        Objects::equals,
        (a, b) -> false,
        List.of(),
        null,
        null,
        Map.of(),
        nanos::get,
        Duration.ofSeconds(10).toNanos(),
        keepValues,
        null);
  }

  @Test
  void writesAtMostOneMismatchLinePerInterval() {
    Result<String> result = judge.skipped("a", null, 1, "only a result to log");

    assertThat(judge.logMismatch(result)).as("the first").isTrue();
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(judge.logMismatch(result)).isFalse();
    nanos.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(judge.logMismatch(result)).isTrue();
    assertThat(judge.logMismatch(result)).isFalse();
  }

  @Test
  void eachMismatchIsJudgedAndCountedWhetherLoggedOrNot() {
    for (int i = 0; i < 3; i++) {
      judge.judge("a", null, 1, "b", null, 1);
    }

    assertThat(meters.verdicts(Verdict.MISMATCH)).isEqualTo(3);
    assertThat(judge.logMismatch(judge.skipped("a", null, 1, "x"))).isFalse();
  }

  @Test
  void theMismatchLineShowsValuesOnlyWhenTheExperimentKeepsThem() {
    Result<String> redacted = judge.judge("alice@example.com", null, 1, "bob@example.com", null, 1);
    Judge<String> keeping = judge(true);
    Result<String> kept = keeping.judge("alice@example.com", null, 1, "bob@example.com", null, 1);

    assertThat(judge.mismatchText(redacted, 0))
        .startsWith("MISMATCH, " + redacted.reason())
        .doesNotContain("alice", "bob");
    assertThat(keeping.mismatchText(kept, 2))
        .isEqualTo(
            "MISMATCH, "
                + kept.reason()
                + "; control returned alice@example.com, candidate returned bob@example.com"
                + "; 2 more mismatches since the last line");
  }
}
