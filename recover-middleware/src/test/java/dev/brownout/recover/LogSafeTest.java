package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogSafeTest {

  private static String printed(Throwable thrown) {
    StringWriter out = new StringWriter();
    thrown.printStackTrace(new PrintWriter(out));
    return out.toString().stripTrailing().replace(System.lineSeparator(), "\n");
  }

  private static IllegalStateException nested() {
    IllegalStateException top =
        new IllegalStateException(
            "top", new java.io.IOException("disk", new RuntimeException("root")));
    top.addSuppressed(new IllegalArgumentException("closing"));
    return top;
  }

  @Test
  void rendersAnOrdinaryThrowableExactlyAsPrintStackTraceDoes() {
    IllegalStateException thrown = nested();

    assertThat(LogSafe.stackTrace(thrown)).isEqualTo(printed(thrown));
  }

  @Test
  void showsACycleInTheCauseChainOnceAsTheJdkDoes() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    String trace = LogSafe.stackTrace(a);

    assertThat(trace)
        .isEqualTo(printed(a))
        .contains("[CIRCULAR REFERENCE: java.lang.RuntimeException: a]");
  }

  @Test
  void escapesLineBreaksInMessagesSoNoLineCanPassForALogLine() {
    String trace =
        LogSafe.stackTrace(
            new NumberFormatException("For input string: \"7\n2026-11-25 ERROR forged\""));

    assertThat(trace)
        .startsWith(
            "java.lang.NumberFormatException: For input string: \"7\\n2026-11-25 ERROR forged\"\n\tat ");
    assertThat(trace.lines().skip(1))
        .allMatch(line -> line.startsWith("\t") || line.startsWith("Caused by: "));
  }

  @Test
  void boundsTheFramesOfAStackOverflow() {
    StackOverflowError overflow = null;
    try {
      Crashes.recurse(0);
    } catch (StackOverflowError e) {
      overflow = e;
    }

    String trace = LogSafe.stackTrace(overflow);

    assertThat(trace.lines().filter(line -> line.startsWith("\tat "))).hasSize(LogSafe.MAX_FRAMES);
    assertThat(trace).endsWith(" frames not shown");
  }

  @Test
  void describesAThrowableWhoseAccessorsThrow() {
    RuntimeException hostile =
        new RuntimeException("hidden") {
          private static final long serialVersionUID = 1L;

          @Override
          public String getMessage() {
            throw new UnsupportedOperationException();
          }

          @Override
          public StackTraceElement[] getStackTrace() {
            throw new UnsupportedOperationException();
          }
        };

    assertThat(LogSafe.stackTrace(hostile))
        .endsWith(": [getMessage() threw java.lang.UnsupportedOperationException]");
  }

  @Test
  void cutsAHugeTraceAtItsLimit() {
    StackTraceElement[] frames = new StackTraceElement[LogSafe.MAX_FRAMES];
    for (int i = 0; i < frames.length; i++) {
      frames[i] =
          new StackTraceElement("Generated" + "x".repeat(200), "call" + i, "Generated.java", i);
    }
    RuntimeException top = new RuntimeException("top");
    for (int i = 0; i < 4; i++) {
      RuntimeException wide = new RuntimeException("wide " + i);
      wide.setStackTrace(frames.clone());
      frames[0] =
          new StackTraceElement(
              "Other", "call", "Other.java", i); // so no two traces share their bottom frames
      top.addSuppressed(wide);
    }

    String trace = LogSafe.stackTrace(top);

    assertThat(trace.length()).isLessThanOrEqualTo(LogSafe.MAX_TRACE_LENGTH + 64);
    assertThat(trace).endsWith("\t... trace cut at " + LogSafe.MAX_TRACE_LENGTH + " characters");
  }

  @Test
  void stopsAfterSoManyThrowables() {
    Throwable chain = new RuntimeException("0");
    List<Throwable> all = new ArrayList<>(List.of(chain));
    for (int i = 1; i < 200; i++) {
      Throwable next = new RuntimeException("x".repeat(LogSafe.MAX_LENGTH) + i);
      all.get(all.size() - 1).addSuppressed(next);
      all.add(next);
    }

    String trace = LogSafe.stackTrace(chain);

    assertThat(trace.length()).isLessThanOrEqualTo(LogSafe.MAX_TRACE_LENGTH + 64);
    assertThat(trace).contains("[more causes not shown]");
  }

  @Test
  void rendersNullAsText() {
    assertThat(LogSafe.stackTrace(null)).isEqualTo("null");
  }
}
