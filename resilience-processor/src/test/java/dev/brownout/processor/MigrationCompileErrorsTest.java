package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every mistake in {@code @ExperimentWith}, {@code @ShiftTo} and {@code @ShiftKey} that the
 * processor refuses, with the exact message and the line javac points at.
 */
class MigrationCompileErrorsTest {

  private static final String IMPORTS =
      """
      package shop;
      import dev.brownout.core.annotation.*;
      import dev.brownout.migration.annotation.*;
      import java.io.IOException;
      import java.util.List;
      import java.util.UUID;
      import java.util.concurrent.CompletionStage;
      """;

  private static void assertError(String source, String onLineContaining, String message) {
    Compilation.assertError(IMPORTS + source, onLineContaining, message);
  }

  @Test
  void missingCandidate() {
    assertError(
        """
        public interface Service {
          @ExperimentWith(candidate = "commentsV2", feature = "comments.v2")
          List<String> comments(long question);
        }
        """,
        "@ExperimentWith(candidate = \"commentsV2\"",
        "[BRO-MIGRATION-005] @ExperimentWith(candidate = \"commentsV2\"): Service has no method"
            + " commentsV2; declare java.util.List<java.lang.String> commentsV2(long question),"
            + " the new path");
  }

  @Test
  void candidateWithOtherParameterTypes() {
    assertError(
        """
        public interface Service {
          @ExperimentWith(candidate = "commentsV2", feature = "comments.v2")
          List<String> comments(long question);

          List<String> commentsV2(int question);
        }
        """,
        "@ExperimentWith(candidate = \"commentsV2\"",
        "[BRO-MIGRATION-006] @ExperimentWith(candidate = \"commentsV2\"): commentsV2 takes (int"
            + " question), but comments takes (long question); a new path takes the same parameter"
            + " types; declare java.util.List<java.lang.String> commentsV2(long question)");
  }

  @Test
  void newMethodReturningAnotherType() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(String user);

          Object authorV2(String user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-006] @ShiftTo(method = \"authorV2\"): authorV2 returns java.lang.Object,"
            + " but author returns java.lang.String; declare java.lang.String authorV2(java.lang.String"
            + " user)");
  }

  @Test
  void newMethodThrowingWhatTheOldDoesNotDeclare() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(String user);

          String authorV2(String user) throws IOException;
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-006] @ShiftTo(method = \"authorV2\"): authorV2 throws java.io.IOException,"
            + " which author does not declare, so its callers could not handle it; declare"
            + " java.lang.String authorV2(java.lang.String user)");
  }

  @Test
  void privateNewMethod() {
    assertError(
        """
        public class Service {
          @ShiftTo(method = "authorV2", name = "authors")
          public String author(String user) { return "old"; }

          private String authorV2(String user) { return "new"; }
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-006] @ShiftTo(method = \"authorV2\"): authorV2 is private, so the"
            + " generated class cannot call it; declare java.lang.String authorV2(java.lang.String"
            + " user)");
  }

  @Test
  void newMethodThatIsItselfMigrated() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(String user);

          @ShiftTo(method = "authorV3", name = "authors-v3")
          String authorV2(String user);

          String authorV3(String user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-006] @ShiftTo(method = \"authorV2\"): authorV2 is itself annotated"
            + " @ShiftTo; a new path is a plain method; declare java.lang.String"
            + " authorV2(java.lang.String user)");
  }

  @Test
  void newMethodWithAGuardPolicyTheMigrationWouldBypass() {
    assertError(
        """
        public interface Service {
          @ExperimentWith(candidate = "commentsV2", feature = "comments.v2")
          List<String> comments(long question);

          @Timeout("1s")
          List<String> commentsV2(long question);
        }
        """,
        "@ExperimentWith(candidate = \"commentsV2\"",
        "[BRO-MIGRATION-006] @ExperimentWith(candidate = \"commentsV2\"): commentsV2 is itself"
            + " annotated @Timeout; a new path is a plain method; declare"
            + " java.util.List<java.lang.String> commentsV2(long question)");
  }

  @Test
  void stepsThatDoNotRise() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors", steps = {10, 5, 100})
          String author(String user);

          String authorV2(String user);
        }
        """,
        "{10, 5, 100}",
        "[BRO-MIGRATION-008] @ShiftTo(steps = [10.0, 5.0, 100.0]): must rise from above 0 to at"
            + " most 100, such as {1, 5, 10, 25, 50, 100}");
  }

  @Test
  void stepsAbove100() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors", steps = {50, 150})
          String author(String user);

          String authorV2(String user);
        }
        """,
        "{50, 150}",
        "[BRO-MIGRATION-008] @ShiftTo(steps = [50.0, 150.0]): must rise from above 0 to at most"
            + " 100, such as {1, 5, 10, 25, 50, 100}");
  }

  @Test
  void shiftNameAndEpoch() {
    String source =
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "Authors", epoch = -1)
          String author(String user);

          String authorV2(String user);
        }
        """;
    assertError(
        source,
        "\"Authors\"",
        "[BRO-MIGRATION-008] @ShiftTo(name = \"Authors\"): must be lower-case words joined by"
            + " hyphens, such as \"comments-backend\"");
    assertError(source, "-1", "[BRO-MIGRATION-008] @ShiftTo(epoch = -1): must be zero or more");
  }

  @Test
  void shiftCheckEvery() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors", checkEvery = "soon")
          String author(String user);

          String authorV2(String user);
        }
        """,
        "\"soon\"",
        "[BRO-MIGRATION-008] @ShiftTo(checkEvery = \"soon\"): must be a positive duration such as"
            + " 30s or PT30S, or empty for no schedule");
  }

  @Test
  void experimentValues() {
    String source =
        """
        public interface Service {
          @ExperimentWith(candidate = "commentsV2", feature = "Comments", percent = 120,
              timeout = "soon", noise = 2)
          List<String> comments(long question);

          List<String> commentsV2(long question);
        }
        """;
    assertError(
        source,
        "\"Comments\"",
        "[BRO-MIGRATION-008] @ExperimentWith(feature = \"Comments\"): a feature name is dotted"
            + " lower-case words such as \"comments.v2-store\"");
    assertError(
        source,
        "120",
        "[BRO-MIGRATION-008] @ExperimentWith(percent = 120.0): must be a share in percent, from 0"
            + " to 100");
    assertError(
        source,
        "\"soon\"",
        "[BRO-MIGRATION-008] @ExperimentWith(timeout = \"soon\"): must be a positive duration such"
            + " as 200ms, 1s or PT0.2S");
    assertError(
        source,
        "noise = 2",
        "[BRO-MIGRATION-008] @ExperimentWith(noise = 2.0): must be 0 (off) or a share in (0, 1]");
  }

  @Test
  void aLaneAndTheCallersThread() {
    assertError(
        """
        public interface Service {
          @ExperimentWith(candidate = "commentsV2", feature = "comments.v2", lane = "candidates",
              onCallerThread = true)
          List<String> comments(long question);

          List<String> commentsV2(long question);
        }
        """,
        "lane = \"candidates\"",
        "[BRO-MIGRATION-008] @ExperimentWith(lane = \"candidates\"): a candidate runs on a lane or"
            + " on the caller's thread, not both; drop lane or onCallerThread");
  }

  @Test
  void keyOfAnUnsupportedType() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(@ShiftKey Object user);

          String authorV2(Object user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-007] @ShiftTo on author: @ShiftKey user is a java.lang.Object; a key is a"
            + " String, UUID, long, int, Long or Integer, hashed the same on every instance");
  }

  @Test
  void shiftWithoutAKey() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(double weight);

          String authorV2(double weight);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-007] @ShiftTo on author: a shift routes by a key, and no parameter is one;"
            + " add a String, UUID, long or int parameter, or mark one @ShiftKey");
  }

  @Test
  void shiftWithTwoPossibleKeysUnmarked() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(int size, String user);

          String authorV2(int size, String user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-007] @ShiftTo on author: size, user could each be the key that routes a"
            + " call; mark one @ShiftKey");
  }

  @Test
  void twoMarkedKeys() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(@ShiftKey UUID tenant, @ShiftKey String user);

          String authorV2(UUID tenant, String user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-007] @ShiftTo on author: mark one parameter @ShiftKey, not 2");
  }

  @Test
  void bothAnnotationsOnOneMethod() {
    assertError(
        """
        public interface Service {
          @ExperimentWith(candidate = "authorV2", feature = "authors")
          @ShiftTo(method = "authorV2", name = "authors")
          String author(String user);

          String authorV2(String user);
        }
        """,
        "@ExperimentWith(candidate = \"authorV2\"",
        "[BRO-MIGRATION-002] author carries both @ExperimentWith and @ShiftTo: compare first with"
            + " @ExperimentWith, then replace it by @ShiftTo (compareFirst = true holds every key"
            + " on the old path until the shift is started)");
  }

  @Test
  void aMigratedMethodWithAGuardPolicy() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker
          @ShiftTo(method = "authorV2", name = "authors")
          String author(String user);

          String authorV2(String user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-004] @ShiftTo on author: a migrated method takes no @CircuitBreaker; guard"
            + " the old and new implementations inside, or guard the callers");
  }

  @Test
  void aMigratedMethodTheGeneratedClassCannotOverride() {
    assertError(
        """
        public class Service {
          @ShiftTo(method = "authorV2", name = "authors")
          String author(String user) { return "old"; }

          public String authorV2(String user) { return "new"; }
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-003] @ShiftTo on author: the generated class cannot override it; make it"
            + " a public, non-final instance method (or an interface method)");
  }

  @Test
  void anAsyncMigratedMethod() {
    assertError(
        """
        public interface Service {
          @ShiftTo(method = "authorV2", name = "authors")
          CompletionStage<String> author(String user);

          CompletionStage<String> authorV2(String user);
        }
        """,
        "@ShiftTo(method = \"authorV2\"",
        "[BRO-MIGRATION-003] @ShiftTo on author: it returns"
            + " java.util.concurrent.CompletionStage<java.lang.String>, but a migration compares"
            + " and routes synchronous calls; migrate the method that does the work");
  }

  @Test
  void anAnnotationOfMigrationWithoutTheMigrationModule() {
    String annotation =
        """
        package dev.brownout.migration.annotation;
        public @interface ShiftTo {
          String method();
          String name();
          double[] steps() default {1, 5, 10, 25, 50, 100};
          int epoch() default 0;
          boolean fallBackToOld() default false;
          boolean compareFirst() default false;
          String checkEvery() default "30s";
        }
        """;
    Compilation compilation =
        Compilation.compileWithout(
            "/migration/",
            "dev.brownout.migration.annotation.ShiftTo",
            annotation,
            "shop.Service",
            """
            package shop;
            import dev.brownout.migration.annotation.ShiftTo;
            public interface Service {
              @ShiftTo(method = "authorV2", name = "authors")
              String author(String user);

              String authorV2(String user);
            }
            """);

    assertThat(compilation.succeeded()).isFalse();
    assertThat(compilation.errors())
        .containsExactly(
            "4: [BRO-MIGRATION-001] @ShiftTo on author: dev.brownout.migration.Shift is not on"
                + " the compile classpath; add the dependency dev.brownout:migration");
  }
}
