package dev.brownout.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Every mistake the processor refuses, with the exact message, its identifier, and the source text
 * of the line javac points at.
 */
class CompileErrorsTest {

  private static final String IMPORTS =
      """
      package shop;
      import dev.brownout.core.annotation.*;
      import java.io.IOException;
      """;

  private static void assertError(String source, String onLineContaining, String message) {
    Compilation.assertError(IMPORTS + source, onLineContaining, message);
  }

  @Test
  void missingFallbackMethod() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "missing")
          String call(String id);
        }
        """,
        "@CircuitBreaker @Fallback(method = \"missing\")",
        "[BRO-FALLBACK-005] @Fallback(method = \"missing\"): Service has no method missing; declare java.lang.String missing(java.lang.String id, Exception failure) (the failure parameter is optional)");
  }

  @Test
  void fallbackWithOtherParameters() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other")
          String call(String id);
          default String other(int id) { return ""; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\")",
        "[BRO-FALLBACK-006] @Fallback(method = \"other\"): parameter 1 of other is int, but the guarded method's is java.lang.String; declare java.lang.String other(java.lang.String id, Exception failure)");
  }

  @Test
  void fallbackWithAnotherReturnType() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other")
          String call(String id);
          default Integer other(String id) { return 1; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\")",
        "[BRO-FALLBACK-006] @Fallback(method = \"other\"): other returns java.lang.Integer, which is not a java.lang.String; declare java.lang.String other(java.lang.String id, Exception failure)");
  }

  @Test
  void fallbackThrowingWhatTheGuardedMethodDoesNotDeclare() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other")
          String call(String id);
          default String other(String id) throws IOException { return ""; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\")",
        "[BRO-FALLBACK-006] @Fallback(method = \"other\"): other throws java.io.IOException, which the guarded method does not declare; declare java.lang.String other(java.lang.String id, Exception failure)");
  }

  @Test
  void fallbackWhoseFailureParameterCannotHoldTheHandledFailures() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other", on = Exception.class)
          String call(String id);
          default String other(String id, IOException failure) { return ""; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\", on = Exception.class)",
        "[BRO-FALLBACK-006] @Fallback(method = \"other\"): its failure parameter is java.io.IOException, which cannot hold a java.lang.Exception from @Fallback(on); declare java.lang.String other(java.lang.String id, Exception failure)");
  }

  @Test
  void privateStaticAndFinalMethods() {
    assertError(
        """
        public class Service {
          @CircuitBreaker
          private String hidden() { return ""; }
          @CircuitBreaker public String open() { return ""; }
        }
        """,
        "@CircuitBreaker",
        "[BRO-METHOD-001] @CircuitBreaker cannot guard a private method: the generated class cannot override it; make hidden public");
    assertError(
        """
        public class Service {
          @Retry
          public static String shared() { return ""; }
          @Retry public String open() { return ""; }
        }
        """,
        "@Retry",
        "[BRO-METHOD-002] @Retry cannot guard a static method: make shared an instance method");
    assertError(
        """
        public class Service {
          @Bulkhead
          public final String sealed() { return ""; }
        }
        """,
        "public final String sealed() { return \"\"; }",
        "[BRO-TYPE-007] a guarded class cannot have public final methods: sealed would run on the wrapper instead of the implementation; remove 'final'");
  }

  @Test
  void finalClass() {
    assertError(
        """
        @CircuitBreaker
        public final class Service {
          public String call() { return ""; }
        }
        """,
        "public final class Service {",
        "[BRO-TYPE-002] a guarded class cannot be final: remove 'final' from Service, or annotate an interface it implements");
  }

  @Test
  void invalidValues() {
    assertError(
        """
        public interface Service {
          @Timeout("-5s")
          String call();
        }
        """,
        "@Timeout(\"-5s\")",
        "[BRO-VALUE-001] invalid value in @Timeout: timeout.duration must be a duration such as 250ms, 30s or PT0.25S, but was '-5s'");
    assertError(
        """
        public interface Service {
          @CircuitBreaker(failureRateThreshold = 150)
          String call();
        }
        """,
        "@CircuitBreaker(failureRateThreshold = 150)",
        "[BRO-VALUE-001] invalid failureRateThreshold in @CircuitBreaker: circuitBreaker.failureRateThreshold must be a percentage in (0, 100], but was 150.0");
    assertError(
        """
        public interface Service {
          @Bulkhead(maxConcurrentCalls = 0)
          String call();
        }
        """,
        "@Bulkhead(maxConcurrentCalls = 0)",
        "[BRO-VALUE-001] invalid maxConcurrentCalls in @Bulkhead: bulkhead.maxConcurrentCalls must be at least 1, but was 0");
    assertError(
        """
        public interface Service {
          @Bulkhead(maxConcurrentCalls = Integer.MAX_VALUE)
          String call();
        }
        """,
        "@Bulkhead(maxConcurrentCalls = Integer.MAX_VALUE)",
        "[BRO-VALUE-001] invalid maxConcurrentCalls in @Bulkhead: bulkhead.maxConcurrentCalls must be at most 1048575, but was 2147483647");
    assertError(
        """
        public interface Service {
          @CircuitBreaker(waitDurationInOpenState = "soon")
          String call();
        }
        """,
        "@CircuitBreaker(waitDurationInOpenState = \"soon\")",
        "[BRO-VALUE-001] invalid waitDurationInOpenState in @CircuitBreaker: circuitBreaker.waitDurationInOpenState must be a duration such as 250ms, 30s or PT0.25S, but was 'soon'");
    assertError(
        """
        public interface Service {
          @Retry(budgetRatio = 2)
          String call();
        }
        """,
        "@Retry(budgetRatio = 2)",
        "[BRO-VALUE-001] invalid budgetRatio in @Retry: retry.budgetRatio must be a ratio in [0, 1], but was 2.0");
  }

  @Test
  void anInvalidValueIsReportedAtTheValue() {
    Compilation compilation =
        Compilation.compile(
            "shop.Service",
            IMPORTS
                + """
        public interface Service {
          @Retry(waitDuration = "1ms", maxAttempts = 0)
          String call();
        }
        """);

    assertThat(
            compilation.textAtError(
                "[BRO-VALUE-001] invalid maxAttempts in @Retry: retry.maxAttempts must be at least 1,"
                    + " but was 0"))
        .startsWith("0)");
  }

  @Test
  void contradictingGuardNames() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker(name = "a") @Retry(name = "b")
          String call();
        }
        """,
        "@CircuitBreaker(name = \"a\") @Retry(name = \"b\")",
        "[BRO-NAME-001] @Retry(name = \"b\") contradicts @CircuitBreaker(name = \"a\"): one method has one guard; give both the same name or leave one empty");
  }

  @Test
  void overloadsSharingADefaultGuardName() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker String call();
          @CircuitBreaker String call(String id);
        }
        """,
        "@CircuitBreaker String call(String id);",
        "[BRO-NAME-002] guard name 'Service.call' is already used by call(); give one of them its own name, e.g. @CircuitBreaker(name = \"Service.call2\")");
  }

  @Test
  void aFallbackWithoutAPolicy() {
    assertError(
        """
        public interface Service {
          @Fallback(method = "other")
          String call();
          default String other() { return ""; }
        }
        """,
        "@Fallback(method = \"other\")",
        "[BRO-FALLBACK-001] @Fallback needs a policy to fall back from: add @CircuitBreaker, @Bulkhead, @Timeout or @Retry to call");
  }

  @Test
  void recoveryMethodMissing() {
    assertError(
        """
        public interface Service {
          @dev.brownout.recover.annotation.Recover(method = "missing")
          String call(String id);
        }
        """,
        "@dev.brownout.recover.annotation.Recover(method = \"missing\")",
        "[BRO-RECOVER-003] @Recover(method = \"missing\"): Service has no method missing; declare java.lang.String missing(dev.brownout.recover.Incident incident) (the incident parameter is optional)");
  }

  @Test
  void recoveryOfAValueReturningMethodWithoutARecoveryMethod() {
    assertError(
        """
        public interface Service {
          @dev.brownout.recover.annotation.Recover
          int count();
        }
        """,
        "@dev.brownout.recover.annotation.Recover",
        "[BRO-RECOVER-002] @Recover without a method cannot give count a int for an incident; write @Recover(method = \"countOnIncident\") and declare int countOnIncident(dev.brownout.recover.Incident incident)");
  }

  @Test
  void recoveryMethodReturningAnotherType() {
    assertError(
        """
        public interface Service {
          @dev.brownout.recover.annotation.Recover(method = "other")
          String call();
          default Integer other() { return 1; }
        }
        """,
        "@dev.brownout.recover.annotation.Recover(method = \"other\")",
        "[BRO-RECOVER-004] @Recover(method = \"other\"): other returns java.lang.Integer, which is not a java.lang.String; declare java.lang.String other(dev.brownout.recover.Incident incident)");
  }

  @Test
  void recoveryMethodTakingSomethingElseThanTheIncident() {
    assertError(
        """
        public interface Service {
          @dev.brownout.recover.annotation.Recover(method = "other")
          String call(String id);
          default String other(String id) { return id; }
        }
        """,
        "@dev.brownout.recover.annotation.Recover(method = \"other\")",
        "[BRO-RECOVER-004] @Recover(method = \"other\"): its parameter is java.lang.String, which cannot hold the dev.brownout.recover.Incident; declare java.lang.String other(dev.brownout.recover.Incident incident)");
  }

  @Test
  void recoveryMethodThrowingACheckedException() {
    assertError(
        """
        public interface Service {
          @dev.brownout.recover.annotation.Recover(method = "other")
          String call() throws IOException;
          default String other() throws IOException { return ""; }
        }
        """,
        "@dev.brownout.recover.annotation.Recover(method = \"other\")",
        "[BRO-RECOVER-004] @Recover(method = \"other\"): other throws java.io.IOException, but a recovery method may throw unchecked exceptions only; declare java.lang.String other(dev.brownout.recover.Incident incident)");
  }

  @Test
  void recoveryAtABlankPlace() {
    assertError(
        """
        public interface Service {
          @dev.brownout.recover.annotation.Recover(place = " ")
          void run();
        }
        """,
        "@dev.brownout.recover.annotation.Recover(place = \" \")",
        "[BRO-RECOVER-001] @Recover(place = \" \"): a place must be a non-blank name, such as a route or task name; leave place out to record incidents at the guard's name");
  }

  @Test
  void recoveryOfAPrivateMethod() {
    assertError(
        """
        public class Service {
          @dev.brownout.recover.annotation.Recover
          private void hidden() { }
          @Retry public void open() { }
        }
        """,
        "@dev.brownout.recover.annotation.Recover",
        "[BRO-METHOD-001] @Recover cannot guard a private method: the generated class cannot override it; make hidden public");
  }

  @Test
  void recoveryNamingAnotherGuard() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker(name = "a") @dev.brownout.recover.annotation.Recover(name = "b")
          void run();
        }
        """,
        "@CircuitBreaker(name = \"a\") @dev.brownout.recover.annotation.Recover(name = \"b\")",
        "[BRO-NAME-001] @Recover(name = \"b\") contradicts @CircuitBreaker(name = \"a\"): one method has one guard; give both the same name or leave one empty");
  }

  @Test
  void recoveryOnATypeWhoseMethodReturnsAValueIsReportedOnTheType() {
    assertError(
        """
        @dev.brownout.recover.annotation.Recover
        public interface Service {
          void run();
          String call();
        }
        """,
        "@dev.brownout.recover.annotation.Recover",
        "[BRO-RECOVER-002] @Recover without a method cannot give call a java.lang.String for an incident; write @Recover(method = \"callOnIncident\") and declare java.lang.String callOnIncident(dev.brownout.recover.Incident incident)");
  }

  @Test
  void aValidTypeCompilesWithoutWarnings() {
    Compilation compilation =
        Compilation.compile(
            "shop.Service",
            IMPORTS
                + """
        @CircuitBreaker
        public class Service {
          public String call(String id) throws IOException { return id; }
          public void run() { }
          protected String notGuarded() { return ""; }
        }
        """);
    assertThat(compilation.errors()).isEmpty();
    assertThat(compilation.succeeded()).isTrue();
  }

  private static void assertDegradableError(
      String source, String onLineContaining, String message) {
    Compilation compilation =
        Compilation.compile(
            "shop.Service",
            "package shop;\nimport dev.brownout.degradation.annotation.Degradable;\n" + source);
    assertThat(compilation.succeeded()).isFalse();
    assertThat(compilation.lineOfError(message)).contains(onLineContaining);
  }

  @Test
  void degradableWithABadFeatureName() {
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "Feed.Recs")
          String call(String id);
        }
        """,
        "@Degradable(feature = \"Feed.Recs\")",
        "[BRO-DEGRADABLE-001] @Degradable(feature = \"Feed.Recs\"): a feature name is dotted lower-case words such as"
            + " \"feed.recommendations\" (letters, digits and '-', each word starting with a letter)");
  }

  @Test
  void degradableWithAMissingOrMismatchedFallback() {
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "feed", fallback = "none")
          String call(String id);
        }
        """,
        "@Degradable(feature = \"feed\", fallback = \"none\")",
        "[BRO-DEGRADABLE-005] @Degradable(fallback = \"none\"): Service has no method none; declare java.lang.String none(java.lang.String id, String reason) (the reason is optional)");
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "feed", fallback = "other")
          String call(String id);
          default Integer other(String id) { return 1; }
        }
        """,
        "@Degradable(feature = \"feed\", fallback = \"other\")",
        "[BRO-DEGRADABLE-006] @Degradable(fallback = \"other\"): other returns java.lang.Integer, which is not a java.lang.String; declare java.lang.String other(java.lang.String id, String reason) (the reason is optional)");
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "feed", fallback = "other")
          String call(String id);
          default String other(String id, int reason) { return ""; }
        }
        """,
        "@Degradable(feature = \"feed\", fallback = \"other\")",
        "[BRO-DEGRADABLE-006] @Degradable(fallback = \"other\"): other takes (java.lang.String, int), but a fallback takes the parameters of call (java.lang.String), then optionally a String reason; declare java.lang.String other(java.lang.String id, String reason) (the reason is optional)");
  }

  @Test
  void degradableLastGoodSettings() {
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "feed", lastGood = true)
          void call(String id);
        }
        """,
        "@Degradable(feature = \"feed\", lastGood = true)",
        "[BRO-DEGRADABLE-002] @Degradable(lastGood = true): call returns nothing, so there is no last good value to serve; leave lastGood out");
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "feed", lastGood = true, lastGoodMaxAge = "soon")
          String call(String id);
        }
        """,
        "@Degradable(feature = \"feed\", lastGood = true, lastGoodMaxAge = \"soon\")",
        "[BRO-DEGRADABLE-004] @Degradable(lastGoodMaxAge = \"soon\"): must be a positive duration such as 10m, 30s or PT0.25S");
    assertDegradableError(
        """
        public interface Service {
          @Degradable(feature = "feed", lastGood = true, lastGoodMaxEntries = 0)
          String call(String id);
        }
        """,
        "@Degradable(feature = \"feed\", lastGood = true, lastGoodMaxEntries = 0)",
        "[BRO-DEGRADABLE-003] @Degradable(lastGoodMaxEntries = 0): the last-good cache needs at least 1 entry");
  }

  @Test
  void anAbortOnThatCoversARetryOnEntry() {
    assertError(
        """
        public interface Service {
          @Retry(retryOn = java.io.FileNotFoundException.class, abortOn = IOException.class)
          String call(String id) throws IOException;
        }
        """,
        "@Retry(retryOn = java.io.FileNotFoundException.class, abortOn = IOException.class)",
        "[BRO-RETRY-002] @Retry(abortOn = java.io.IOException.class) covers java.io.FileNotFoundException from @Retry(retryOn),"
            + " so no java.io.FileNotFoundException is ever retried; remove one of them or narrow abortOn");
  }

  @Test
  void anAbortOnOutsideEveryRetryOnEntry() {
    assertError(
        """
        public interface Service {
          @Retry(retryOn = IOException.class, abortOn = IllegalStateException.class)
          String call(String id) throws IOException;
        }
        """,
        "@Retry(retryOn = IOException.class, abortOn = IllegalStateException.class)",
        "[BRO-RETRY-003] @Retry(abortOn = java.lang.IllegalStateException.class) does nothing: it is not a subtype of any type in"
            + " @Retry(retryOn); remove it or name a subtype of one of them");
  }

  @Test
  void aTimeoutWithNeitherADurationNorADeadline() {
    assertError(
        """
        public interface Service {
          @Timeout
          String call();
        }
        """,
        "@Timeout",
        "[BRO-VALUE-002] invalid @Timeout: timeout.duration must be given (the time for each attempt) unless timeout.deadline is"
            + " (the time for the whole call), but was not set");
  }

  @Test
  void invalidDeadlineAndMaxDuration() {
    assertError(
        """
        public interface Service {
          @Timeout(deadline = "soon")
          String call();
        }
        """,
        "\"soon\"",
        "[BRO-VALUE-001] invalid deadline in @Timeout: timeout.deadline must be a duration such as 250ms, 30s or PT0.25S, but was 'soon'");
    assertError(
        """
        public interface Service {
          @Retry(maxDuration = "0s")
          String call();
        }
        """,
        "\"0s\"",
        "[BRO-VALUE-001] invalid maxDuration in @Retry: retry.maxDuration must be a positive duration, but was PT0S");
  }

  @Test
  void aMaxDurationNoRetryCouldStartWithin() {
    assertError(
        """
        public interface Service {
          @Retry(waitDuration = "2s", maxDuration = "1s")
          String call();
        }
        """,
        "@Retry(waitDuration = \"2s\", maxDuration = \"1s\")",
        "[BRO-VALUE-002] invalid @Retry: retry.maxDuration must be longer than the shortest wait between attempts, PT2S, or no"
            + " retry could ever start, but was PT1S");
  }

  @Test
  void anAbortOnOfAnErrorOrARejection() {
    assertError(
        """
        public interface Service {
          @Retry(abortOn = {StackOverflowError.class, dev.brownout.core.CallNotPermittedException.class})
          String call(String id);
        }
        """,
        "@Retry(abortOn = {StackOverflowError.class, dev.brownout.core.CallNotPermittedException.class})",
        "[BRO-RETRY-001] @Retry(abortOn = dev.brownout.core.CallNotPermittedException.class) does nothing: errors are never"
            + " retried, and rejections only as retryOnRejection names them; remove it");
  }

  @Test
  void aSkipOnThatCoversAHandledType() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other", applyOn = java.io.FileNotFoundException.class, skipOn = IOException.class)
          String call(String id) throws IOException;
          default String other(String id) { return ""; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\", applyOn = java.io.FileNotFoundException.class, skipOn = IOException.class)",
        "[BRO-FALLBACK-003] @Fallback(skipOn = java.io.IOException.class) covers java.io.FileNotFoundException from @Fallback(applyOn),"
            + " so no java.io.FileNotFoundException is ever handled by the fallback; remove one of them or narrow skipOn");
  }

  @Test
  void aSkipOnOutsideTheHandledTypes() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other", on = IOException.class, skipOn = IllegalStateException.class)
          String call(String id) throws IOException;
          default String other(String id) { return ""; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\", on = IOException.class, skipOn = IllegalStateException.class)",
        "[BRO-FALLBACK-004] @Fallback(skipOn = java.lang.IllegalStateException.class) does nothing: it is not a subtype of any type in"
            + " @Fallback(on); remove it or name a subtype of one of them");
  }

  @Test
  void bothOnAndApplyOn() {
    assertError(
        """
        public interface Service {
          @CircuitBreaker @Fallback(method = "other", on = IOException.class, applyOn = IOException.class)
          String call(String id) throws IOException;
          default String other(String id) { return ""; }
        }
        """,
        "@CircuitBreaker @Fallback(method = \"other\", on = IOException.class, applyOn = IOException.class)",
        "[BRO-FALLBACK-002] @Fallback sets both on and applyOn, two names for the failures it handles; keep one of them");
  }
}
