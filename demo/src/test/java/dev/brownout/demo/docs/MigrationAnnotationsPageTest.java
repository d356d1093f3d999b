package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.demo.docs.CommentStore.Comment;
import dev.brownout.migration.Shift;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The "Migrations" example of docs/annotations.md, run through the class the processor generated. */
class MigrationAnnotationsPageTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Brownout brownout = Brownout.builder().meterRegistry(registry).build();

  @AfterEach
  void close() {
    brownout.close();
  }

  /** The old store answers in one order, the new store in another; both count their calls. */
  static final class DefaultCommentStore implements CommentStore {
    final AtomicInteger newCalls = new AtomicInteger();

    @Override
    public List<Comment> comments(long questionId) {
      return List.of(new Comment(1, "first"), new Comment(2, "second"));
    }

    @Override
    public List<Comment> commentsV2(long questionId) {
      newCalls.incrementAndGet();
      return List.of(new Comment(2, "second"), new Comment(1, "first"));
    }

    @Override
    public String author(String userId, int avatarSize) {
      return "old";
    }

    @Override
    public String authorV2(String userId, int avatarSize) {
      return "new";
    }
  }

  private double verdicts(String verdict) {
    return registry.find("brownout.experiment.verdicts")
        .tag("experiment", "comments.v2-store")
        .tag("verdict", verdict)
        .functionCounters()
        .stream()
        .mapToDouble(counter -> counter.count())
        .sum();
  }

  @Test
  void theCallerGetsTheOldAnswerWhileTheExperimentCountsTheMismatch() throws Exception {
    DefaultCommentStore implementation = new DefaultCommentStore();
    // docs:begin
    CommentStore store = brownout.wrap(CommentStore.class, implementation);
    List<Comment> comments = store.comments(42);   // the old store's answer; 5% of questions also ask the new one
    // docs:end
    assertThat(comments).containsExactly(new Comment(1, "first"), new Comment(2, "second"));

    Features.of(brownout).set("comments.v2-store", Switch.on());   // every question, for the test
    assertThat(store.comments(43)).containsExactly(new Comment(1, "first"), new Comment(2, "second"));
    await().atMost(Duration.ofSeconds(10)).until(() -> verdicts("MISMATCH") >= 1);
    assertThat(implementation.newCalls).hasValueGreaterThanOrEqualTo(1);
  }

  @Test
  void theShiftRoutesAStickyShareOfUsersAndIsThereToCheck() throws Exception {
    CommentStore store = brownout.wrap(CommentStore.class, new DefaultCommentStore());
    // docs:begin
    Shift<?> shift = Shift.find(brownout, "author-store").orElseThrow();   // to pause, resume or roll back
    // docs:end
    assertThat(shift.share()).isEqualTo(1);
    assertThat(shift).isSameAs(((Guarded_CommentStore) store).authorShift());
    Features.of(brownout).set("shift-author-store", Switch.rollout(50));

    int routedToNew = 0;
    for (int user = 0; user < 1_000; user++) {
      String first = store.author("user-" + user, 64);
      assertThat(store.author("user-" + user, 32)).isEqualTo(first);
      routedToNew += first.equals("new") ? 1 : 0;
    }
    assertThat(routedToNew).isBetween(405, 595);   // 50% of 1,000 users, within 6 sigma
  }
}
