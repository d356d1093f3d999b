package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.brownout.migration.Shift;
import dev.brownout.migration.ShiftCriteria;
import dev.brownout.migration.ShiftDecision;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The shift examples of docs/migration.md, run. */
class ShiftExamplesTest {

  private final Brownout brownout =
      Brownout.builder().config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test")).build();
  private final Features features = Features.of(brownout);

  @AfterEach
  void close() {
    brownout.close();
  }

  interface CommentStore {
    List<String> comments(long questionId);
  }

  private final CommentStore oldStore = question -> List.of("first", "second");
  private final CommentStore newStore = question -> List.of("first", "second");

  private Shift<List<String>> shift() {
    // docs:begin
    Shift<List<String>> shift = Shift.<List<String>>builder("comments-backend", brownout, features)
        .steps(1, 5, 10, 25, 50, 100)            // percent of keys on the new path
        .fallBackToOld(true)                     // a read the new path fails is served by the old one
        .build();
    // docs:end
    return shift;
  }

  private List<String> comments(Shift<List<String>> shift, long questionId) throws Exception {
    // docs:begin
    List<String> comments = shift.call(questionId,
        () -> oldStore.comments(questionId),
        () -> newStore.comments(questionId));
    // docs:end
    return comments;
  }

  private ShiftDecision check(Shift<List<String>> shift) {
    // docs:begin
    ShiftDecision decision = shift.check();     // on a schedule, say every 30 s
    // docs:end
    return decision;
  }

  @Test
  void aShiftRoutesAShareAndHoldsWithoutData() throws Exception {
    Shift<List<String>> shift = shift();
    for (long question = 0; question < 1_000; question++) {
      assertThat(comments(shift, question)).containsExactly("first", "second");
    }
    assertThat(shift.share()).isEqualTo(1.0);
    ShiftDecision decision = check(shift);
    assertThat(decision.kind()).as("about 10 calls on the new path: too few").isEqualTo(ShiftDecision.Kind.HOLD);
    assertThat(shift.state()).isEqualTo(Shift.State.SHIFTING);
  }

  @Test
  void aShiftComparesFirstWithItsOwnCriteria() {
    // docs:begin
    Shift<List<String>> shift = Shift.<List<String>>builder("comments-backend", brownout, features)
        .compareFirst()                          // every key old until start(...)
        .criteria(ShiftCriteria.builder()        // the defaults, but for what differs
            .errorMargin(0.005)
            .minCalls(500)
            .build())
        .retireAfter(Duration.ofHours(6))        // DONE once the old path is idle this long
        .build();
    shift.start("the experiment matched for a week");
    // docs:end
    assertThat(shift.state()).isEqualTo(Shift.State.SHIFTING);
    assertThat(shift.status().share()).isEqualTo(1.0);
  }
}
