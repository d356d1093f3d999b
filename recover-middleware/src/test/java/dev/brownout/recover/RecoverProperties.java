package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.statistics.Statistics;

/**
 * The recovery core against hostile throwables: any type (fatal ones included), messages with line
 * breaks and control characters up to hundreds of kilobytes, deep cause chains, cycles among causes
 * and suppressed throwables, and accessors that throw.
 */
class RecoverProperties {

  @AfterTry
  void clearInterruptFlag() {
    Thread.interrupted();
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void recoveringNeverThrowsExceptAFatalErrorAndLogsAndCountsOneWellFormedIncident(
      @ForAll("throwables") Throwable thrown, @ForAll("places") String place) {
    Statistics.label("chain").collect(Throwables.chainShape(thrown));
    Statistics.label("longest message").collect(Throwables.longestMessage(thrown));
    Statistics.label("chain").coverage(check -> check.check("cycle").percentage(p -> p >= 3));
    Statistics.label("longest message")
        .coverage(check -> check.check("huge").percentage(p -> p >= 3));
    CapturingLog log = new CapturingLog();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Recover recover = Recover.builder().log(log).build();
    recover.bindTo(registry);

    Incident incident;
    try {
      incident = recover.recover(place, thrown);
      assertThat(isFatal(thrown)).as("recovered a fatal error").isFalse();
    } catch (VirtualMachineError rethrown) {
      assertThat(rethrown).isSameAs(thrown);
      assertThat(isFatal(thrown)).isTrue();
      incident = log.incidents().get(0).incident();
    }

    assertWellFormed(incident, thrown);
    assertThat(log.incidents()).containsExactly(new CapturingLog.Entry(incident, thrown));
    assertThat(registry.find(IncidentMeters.NAME).counters())
        .singleElement()
        .extracting(Counter::count)
        .isEqualTo(1.0);
    assertThat(Thread.currentThread().isInterrupted())
        .isEqualTo(thrown instanceof InterruptedException);
  }

  @Property(tries = 500)
  void aProblemResponseIsWellFormedAndCarriesNothingOfTheThrowable(
      @ForAll("throwables") Throwable thrown, @ForAll boolean committed) {
    CapturingLog log = new CapturingLog();
    Recover recover = Recover.builder().log(log).status(IOException.class, 503).build();
    if (isFatal(thrown)) {
      return; // rethrown, as the first property shows
    }

    ProblemResponse response = recover.respond("GET /p", thrown, committed);

    assertThat(response.closesConnection()).isEqualTo(committed);
    assertThat(log.incidents())
        .singleElement()
        .extracting(CapturingLog.Entry::incident)
        .isSameAs(response.incident());
    if (committed) {
      assertThat(response.body()).isEmpty();
      return;
    }
    String body = new String(response.body(), StandardCharsets.UTF_8);
    assertThat(FlatJson.parse(body))
        .containsOnlyKeys("type", "title", "status", "incident")
        .containsEntry("incident", response.incident().id())
        .containsEntry("status", (long) response.status());
    assertThat(response.status()).isIn(500, 503);
    assertThat(body).doesNotContain(Throwables.MARK, "java.", "Exception", "$");
  }

  @Property(tries = 1000)
  void aRenderedTraceIsBoundedAndNoLineOfItCanPassForALogLine(
      @ForAll("throwables") Throwable thrown) {
    String trace = LogSafe.stackTrace(thrown);

    Statistics.label("trace").collect(trace.endsWith(" characters") ? "cut at the limit" : "whole");
    Statistics.label("trace").coverage(check -> check.check("cut at the limit").count(n -> n > 0));
    assertSafeTrace(trace);
    assertThat(trace).startsWith(thrown.getClass().getName());
  }

  @Property(tries = 150)
  void whatTheDefaultLogWritesHasOneEventAndNoForgedLines(
      @ForAll("throwables") Throwable thrown, @ForAll("places") String place) {
    Recover recover = Recover.builder().build();

    String output =
        Slf4jIncidentLogTest.output(
            () -> {
              try {
                recover.recover(place, thrown);
              } catch (VirtualMachineError rethrown) {
                // logged all the same
              }
            });

    List<String> lines = output.lines().toList();
    assertThat(lines.get(0))
        .startsWith("[")
        .contains("] ERROR dev.brownout.recover.Recover - Incident inc-");
    assertThat(
            lines.stream().filter(line -> line.contains("ERROR dev.brownout.recover.Recover - ")))
        .hasSize(1);
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(
            line ->
                assertThat(line)
                    .matches(
                        "(?s)(\t|Caused by: |"
                            + java.util.regex.Pattern.quote(thrown.getClass().getName())
                            + ").*"));
    assertThat(output).doesNotContain("\r", "\u2028", "\u2029");
  }

  private static boolean isFatal(Throwable thrown) {
    return thrown instanceof VirtualMachineError && !(thrown instanceof StackOverflowError);
  }

  private static void assertWellFormed(Incident incident, Throwable thrown) {
    assertThat(incident.id()).matches("inc-[0-9a-z]{12}");
    assertThat(incident.time()).isNotNull();
    assertThat(incident.throwableClass()).isEqualTo(thrown.getClass().getName());
    assertThat(incident.place()).doesNotContain("\n", "\r", "\u2028", "\u2029");
    assertThat(incident.place().chars().noneMatch(Character::isISOControl)).isTrue();
    assertThat(incident.place().length()).isLessThanOrEqualTo(LogSafe.MAX_LENGTH * 6 + 32);
    assertThat(incident.outcome())
        .isEqualTo(isFatal(thrown) ? Incident.Outcome.RETHROWN : Incident.Outcome.RECOVERED);
  }

  static void assertSafeTrace(String trace) {
    assertThat(trace.length()).isLessThanOrEqualTo(LogSafe.MAX_TRACE_LENGTH + 64);
    assertThat(
            trace
                .chars()
                .filter(c -> c != '\n' && c != '\t')
                .noneMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'))
        .isTrue();
    List<String> lines = trace.lines().toList();
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(
            line ->
                assertThat(line.startsWith("\t") || line.startsWith("Caused by: "))
                    .as(line)
                    .isTrue());
  }

  @Provide
  Arbitrary<String> places() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withChars("GET /a\r\n\t\u2028\u0000").ofMaxLength(2000),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<Throwable> throwables() {
    // A hostile throwable ends the chain it is in (its getCause throws), so it comes rarely enough
    // to leave long chains and cycles.
    Arbitrary<Throwables.Kind> kind =
        Arbitraries.oneOf(
            Arbitraries.of(Throwables.Kind.class).filter(k -> !k.hostile()),
            Arbitraries.of(Throwables.Kind.class));
    Arbitrary<Boolean> wide = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(9, false));
    Arbitrary<Throwables.Spec> spec =
        Combinators.combine(kind, messages(), wide).as(Throwables.Spec::new);
    Arbitrary<List<Throwables.Spec>> chain =
        spec.list().ofMinSize(1).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform());
    Arbitrary<List<Throwables.Spec>> suppressed = spec.list().ofMaxSize(3);
    Arbitrary<Boolean> cycle = Arbitraries.frequency(Tuple.of(1, true), Tuple.of(3, false));
    return Combinators.combine(
            chain,
            suppressed,
            cycle,
            Arbitraries.integers().between(0, 39),
            Arbitraries.of(true, false))
        .as(Throwables::build);
  }

  private static Arbitrary<String> messages() {
    Arbitrary<String> piece =
        Arbitraries.strings().withChars("ab \r\n\t\u2028\u2029\u0000\u001b\"\\<$").ofMaxLength(24);
    Arbitrary<Integer> repeats = Arbitraries.of(1, 1, 1, 10, 1_000, 10_000);
    return Arbitraries.oneOf(
        Arbitraries.just(null),
        Combinators.combine(piece, repeats).as((p, n) -> Throwables.MARK + p.repeat(n)));
  }

  /** Builds the throwables the properties feed to the core. */
  static final class Throwables {

    /** In every generated message, so a test can look for it where no message should be. */
    static final String MARK = "msg~";

    enum Kind {
      RUNTIME,
      ILLEGAL_STATE,
      IO,
      CHECKED,
      ERROR,
      STACK_OVERFLOW,
      OUT_OF_MEMORY,
      INTERNAL,
      INTERRUPTED,
      HOSTILE,
      /**
       * Hostile, its accessors throwing an {@code Error} rather than an exception (issue 15,
       * finding 13).
       */
      HOSTILE_WITH_ERRORS;

      boolean hostile() {
        return this == HOSTILE || this == HOSTILE_WITH_ERRORS;
      }
    }

    /**
     * With {@code wide}, the throwable gets a made-up trace of long frames whose names hold line
     * breaks.
     */
    record Spec(Kind kind, String message, boolean wide) {}

    static final class Checked extends Exception {
      private static final long serialVersionUID = 1L;

      Checked(String message) {
        super(message);
      }
    }

    /** A throwable whose accessors fail, as a buggy subclass's can. */
    static final class Hostile extends RuntimeException {
      private static final long serialVersionUID = 1L;
      private final boolean errors;

      Hostile(String message, boolean errors) {
        super(message);
        this.errors = errors;
      }

      private RuntimeException fail(String what) {
        if (errors) {
          throw new AssertionError(what);
        }
        return new UnsupportedOperationException(what);
      }

      @Override
      public String getMessage() {
        throw fail("no message");
      }

      @Override
      public String toString() {
        if (errors) {
          throw fail("no text");
        }
        return super.toString();
      }

      @Override
      public synchronized Throwable getCause() {
        throw fail("no cause");
      }

      @Override
      public StackTraceElement[] getStackTrace() {
        return null;
      }
    }

    /**
     * The chain's first throwable, caused by the next and so on; with {@code cycle}, the last is
     * caused by an earlier one again; the first suppresses the others, and with {@code
     * suppressCycle} each of them suppresses the first back.
     */
    static Throwable build(
        List<Spec> chain,
        List<Spec> suppressed,
        boolean cycle,
        int cycleTo,
        boolean suppressCycle) {
      List<Throwable> causes = new ArrayList<>();
      for (Spec spec : chain) {
        causes.add(create(spec));
      }
      for (int i = 0; i + 1 < causes.size(); i++) {
        causes.get(i).initCause(causes.get(i + 1));
      }
      int last = causes.size() - 1;
      if (cycle && last > 0) {
        causes.get(last).initCause(causes.get(cycleTo % last));
      }
      Throwable first = causes.get(0);
      for (Spec spec : suppressed) {
        Throwable other = create(spec);
        first.addSuppressed(other);
        if (suppressCycle) {
          other.addSuppressed(first);
        }
      }
      return first;
    }

    /**
     * "cycle", "depth 1", "depth 2-9" or "depth 10+": how the cause chain of a generated throwable
     * looks.
     */
    static String chainShape(Throwable thrown) {
      java.util.Set<Throwable> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      Throwable current = thrown;
      while (current != null && !(current instanceof Hostile) && seen.add(current)) {
        current = current.getCause();
      }
      if (current != null && !(current instanceof Hostile)) {
        return "cycle";
      }
      return seen.size() <= 1 ? "depth 1" : seen.size() < 10 ? "depth 2-9" : "depth 10+";
    }

    /** "none", "short" or "huge" (over 10,000 characters): the longest message in the chain. */
    static String longestMessage(Throwable thrown) {
      int longest = -1;
      java.util.Set<Throwable> seen =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (Throwable t = thrown;
          t != null && !(t instanceof Hostile) && seen.add(t);
          t = t.getCause()) {
        longest = Math.max(longest, t.getMessage() == null ? -1 : t.getMessage().length());
      }
      return longest < 0 ? "none" : longest > 10_000 ? "huge" : "short";
    }

    private static Throwable create(Spec spec) {
      Throwable thrown = ofKind(spec.kind(), spec.message());
      if (spec.wide()) {
        StackTraceElement[] frames = new StackTraceElement[300];
        for (int i = 0; i < frames.length; i++) {
          frames[i] =
              new StackTraceElement(
                  "Gen\r\nERROR forged " + "x".repeat(300), "m" + i, "Gen.java", i);
        }
        thrown.setStackTrace(frames);
      }
      return thrown;
    }

    private static Throwable ofKind(Kind kind, String message) {
      return switch (kind) {
        case RUNTIME -> new RuntimeException(message);
        case ILLEGAL_STATE -> new IllegalStateException(message);
        case IO -> new IOException(message);
        case CHECKED -> new Checked(message);
        case ERROR -> new AssertionError(message);
        case STACK_OVERFLOW -> new StackOverflowError(message);
        case OUT_OF_MEMORY -> new OutOfMemoryError(message);
        case INTERNAL -> new InternalError(message);
        case INTERRUPTED -> new InterruptedException(message);
        case HOSTILE -> new Hostile(message, false);
        case HOSTILE_WITH_ERRORS -> new Hostile(message, true);
      };
    }
  }
}
