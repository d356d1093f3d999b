package dev.brownout.core.regressions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Resilience4jBreakers;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, finding 2: {@code
 * Brownout.circuitBreaker(io.github.resilience4j.circuitbreaker.CircuitBreaker)} made {@code
 * Brownout.class.getMethods()} throw {@code NoClassDefFoundError} without the optional Resilience4j
 * jar, which is what Spring does when it creates the runtime's bean. The runtime's public methods
 * name no Resilience4j breaker type; only {@link Resilience4jBreakers} does. (The
 * minimal-class-path check proves the same for every public type with the jar really absent.)
 */
class RuntimeNamesNoOptionalTypeTest {

  @Test
  void noPublicMethodOfTheRuntimeNamesAResilience4jBreakerType() {
    List<String> leaks = new ArrayList<>();
    for (Method method : Brownout.class.getMethods()) {
      Stream.concat(Stream.of(method.getReturnType()), Stream.of(method.getParameterTypes()))
          .filter(type -> type.getName().startsWith("io.github.resilience4j.circuitbreaker."))
          .forEach(type -> leaks.add(method.toString()));
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void theAdapterIsWhereAResilience4jBreakerIsAdopted() throws Exception {
    Method adopt =
        Resilience4jBreakers.class.getMethod(
            "adopt", Brownout.class, io.github.resilience4j.circuitbreaker.CircuitBreaker.class);

    assertThat(adopt.getReturnType()).isEqualTo(dev.brownout.core.CircuitBreaker.class);
  }
}
