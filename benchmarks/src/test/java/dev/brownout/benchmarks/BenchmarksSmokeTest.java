package dev.brownout.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Runs every {@link Benchmark} method once, untimed, with its states set up and torn down the way
 * JMH does, so a benchmark cannot rot between timed runs. Benchmarks are found by scanning the
 * compiled classes, so a new one is covered without being listed here.
 */
class BenchmarksSmokeTest {

  @TestFactory
  Stream<DynamicTest> everyBenchmarkRunsOnceAndReturnsAValue() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Class<?> type : benchmarkClasses()) {
      for (Method method : type.getDeclaredMethods()) {
        if (method.isAnnotationPresent(Benchmark.class)) {
          tests.add(
              DynamicTest.dynamicTest(
                  type.getSimpleName() + "." + method.getName(), () -> runOnce(type, method)));
        }
      }
    }
    assertThat(tests).hasSizeGreaterThan(15);
    return tests.stream();
  }

  private static void runOnce(Class<?> type, Method benchmark) throws Exception {
    Map<Class<?>, Object> states = new HashMap<>();
    List<Object> setUpOrder = new ArrayList<>();
    try {
      Object[] arguments = arguments(benchmark, states, setUpOrder);
      Object owner = state(type, states, setUpOrder);
      Object result = benchmark.invoke(owner, arguments);
      if (benchmark.getReturnType() != void.class) {
        assertThat(result).as("%s returned a value", benchmark.getName()).isNotNull();
      }
    } finally {
      for (int i = setUpOrder.size() - 1; i >= 0; i--) {
        Object state = setUpOrder.get(i);
        for (Method method : state.getClass().getMethods()) {
          if (method.isAnnotationPresent(TearDown.class)) {
            method.invoke(state);
          }
        }
      }
    }
  }

  private static Object[] arguments(
      Method method, Map<Class<?>, Object> states, List<Object> setUpOrder) throws Exception {
    Class<?>[] types = method.getParameterTypes();
    Object[] arguments = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      arguments[i] = state(types[i], states, setUpOrder);
    }
    return arguments;
  }

  private static Object state(Class<?> type, Map<Class<?>, Object> states, List<Object> setUpOrder)
      throws Exception {
    Object existing = states.get(type);
    if (existing != null) {
      return existing;
    }
    Object state = type.getDeclaredConstructor().newInstance();
    states.put(type, state);
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(Setup.class)) {
        method.invoke(state, arguments(method, states, setUpOrder));
      }
    }
    setUpOrder.add(state);
    return state;
  }

  private static List<Class<?>> benchmarkClasses()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(Work.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = root.resolve("dev/brownout/benchmarks");
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files.sorted()::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$") && !name.contains("jmhType")) {
          Class<?> type =
              Class.forName("dev.brownout.benchmarks." + name.substring(0, name.length() - 6));
          for (Method method : type.getDeclaredMethods()) {
            if (method.isAnnotationPresent(Benchmark.class)) {
              classes.add(type);
              break;
            }
          }
        }
      }
    }
    return classes;
  }
}
