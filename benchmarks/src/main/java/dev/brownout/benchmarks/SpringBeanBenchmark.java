package dev.brownout.benchmarks;

import dev.brownout.core.Brownout;
import dev.brownout.core.annotation.Bulkhead;
import dev.brownout.core.annotation.CircuitBreaker;
import dev.brownout.spring.BrownoutAutoConfiguration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Does the Spring Boot starter add anything to a guarded call? The annotated method of {@link
 * AnnotatedMethodBenchmark}, called through the bean a Spring context injects (the auto-configured
 * runtime, and the plain implementation wrapped by its generated class by the guarded-beans
 * post-processor), beside the same interface wrapped by {@code brownout.wrap} without Spring.
 *
 * <p>The context is a Spring Boot application without a web server, built once per fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 2,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SpringBeanBenchmark {

  /** A dependency behind a breaker and a bulkhead, as in {@link AnnotatedMethodBenchmark}. */
  @CircuitBreaker
  @Bulkhead(maxConcurrentCalls = 25)
  public interface Prices {
    int price(int item);
  }

  /** The implementation: about a nanosecond of work. */
  static final class PriceList implements Prices {
    @Override
    public int price(int item) {
      return item + 1;
    }
  }

  /** The application: one plain bean; the auto-configuration makes it the guarded one. */
  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(BrownoutAutoConfiguration.class)
  public static class Shop {
    @Bean
    Prices prices() {
      return new PriceList();
    }
  }

  private ConfigurableApplicationContext context;
  private Brownout brownout;
  private Prices bean;
  private Prices annotated;

  @Setup
  public void setUp() {
    context =
        new SpringApplicationBuilder(Shop.class)
            .web(WebApplicationType.NONE)
            .bannerMode(Banner.Mode.OFF)
            .logStartupInfo(false)
            .run();
    bean = context.getBean(Prices.class);
    if (!bean.getClass().getSimpleName().startsWith("Guarded_")) {
      throw new IllegalStateException("the bean is not the guarded class: " + bean.getClass());
    }
    brownout = Brownout.builder().build();
    annotated = brownout.wrap(Prices.class, new PriceList());
  }

  @TearDown
  public void tearDown() {
    context.close();
    brownout.close();
  }

  /** The generated class, wrapped by hand with {@code brownout.wrap}. */
  @Benchmark
  public int annotated(Work work) {
    return annotated.price(work.seed);
  }

  /** The same generated class, as the Spring context injects it. */
  @Benchmark
  public int springBean(Work work) {
    return bean.price(work.seed);
  }
}
