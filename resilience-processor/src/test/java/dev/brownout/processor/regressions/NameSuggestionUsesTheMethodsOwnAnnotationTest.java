package dev.brownout.processor.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.processor.Compilation;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, finding 7 (first message): two guards with one name were refused with a suggestion to
 * write {@code @CircuitBreaker(name = ...)} even on a method that has only {@code @Retry}, which
 * would add a breaker the user never asked for. The suggestion now names an annotation the method
 * has.
 */
class NameSuggestionUsesTheMethodsOwnAnnotationTest {

  @Test
  void aMethodWithOnlyRetryIsToldToNameItsRetry() {
    Compilation compilation =
        Compilation.compile(
            "shop.Service",
            """
        package shop;
        import dev.brownout.core.annotation.Retry;
        public interface Service {
          @Retry String call();
          @Retry String call(String id);
        }
        """);

    assertThat(
            compilation.lineOfError(
                "[BRO-NAME-002] guard name 'Service.call' is already used by call(); give one of"
                    + " them its own name, e.g. @Retry(name = \"Service.call2\")"))
        .contains("@Retry String call(String id);");
  }

  @Test
  void aMethodGuardedByItsTypesBulkheadIsToldToNameABulkhead() {
    Compilation compilation =
        Compilation.compile(
            "shop.Service",
            """
        package shop;
        import dev.brownout.core.annotation.Bulkhead;
        @Bulkhead
        public interface Service {
          String call();
          String call(String id);
        }
        """);

    assertThat(
            compilation.lineOfError(
                "[BRO-NAME-002] guard name 'Service.call' is already used by call(); give one of"
                    + " them its own name, e.g. @Bulkhead(name = \"Service.call2\")"))
        .contains("String call(String id);");
  }
}
