package dev.brownout.degradation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.brownout.core.spi.Admission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A feature's switch inside a guard: admits calls while the feature is on for the key, and serves
 * the strategy's substitute otherwise, counting each by the strategy that served it.
 */
final class FeatureAdmission implements Admission {

  private static final Object NO_KEY = new Object();

  private final Feature feature;
  private final Features features;
  private final Step[] steps;
  private final Cache<Object, Object> lastGood;

  FeatureAdmission(Feature feature, Features features, DegradationStrategy<?> strategy) {
    this.feature = feature;
    this.features = features;
    List<Step> chain = new ArrayList<>();
    Cache<Object, Object> cache = null;
    DegradationStrategy<?> current = strategy;
    while (current != null) {
      LongAdder served = features.degradedCounter(feature.name(), current.name());
      if (current instanceof DegradationStrategy.LastGood<?> last) {
        if (cache != null) {
          throw new IllegalArgumentException(
              "strategy.lastGood.orElse must not be another lastGood strategy: one cache per feature and guard");
        }
        cache =
            Caffeine.newBuilder()
                .maximumSize(last.maxEntries)
                .expireAfterWrite(last.maxAge)
                .ticker(features.ticker()::read)
                .build();
        chain.add(new Step(current, served));
        current = last.next;
      } else {
        chain.add(new Step(current, served));
        current = null;
      }
    }
    this.steps = chain.toArray(new Step[0]);
    this.lastGood = cache;
  }

  @Override
  public boolean admits(@Nullable Object key) {
    return key == null ? feature.isEnabled() : feature.isEnabled(key);
  }

  @Override
  public @Nullable Object denied(@Nullable Object key) throws Exception {
    for (Step step : steps) {
      DegradationStrategy<?> strategy = step.strategy;
      if (strategy instanceof DegradationStrategy.LastGood) {
        Object value = lastGood.getIfPresent(key == null ? NO_KEY : key);
        if (value != null) {
          step.served.increment();
          return value;
        }
      } else {
        step.served.increment();
        if (strategy instanceof DegradationStrategy.Constant<?> constant) {
          return constant.value;
        }
        if (strategy instanceof DegradationStrategy.Computed<?> computed) {
          return computed.function.apply(key, features.cause(feature.index()));
        }
        throw features.rejection(feature.index());
      }
    }
    throw features.rejection(feature.index());
  }

  @Override
  public boolean observesResults() {
    return lastGood != null;
  }

  @Override
  public void succeeded(@Nullable Object key, @Nullable Object result) {
    if (result != null) {
      lastGood.put(key == null ? NO_KEY : key, result);
    }
  }

  /** One strategy of the chain with the counter of calls it served. */
  private record Step(DegradationStrategy<?> strategy, LongAdder served) {}
}
