package dev.brownout.openfeature;

import dev.brownout.core.Brownout;
import dev.brownout.core.ConfigSource;
import dev.brownout.degradation.Features;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Brownout runtime whose features refresh only when a test says, and a {@link BrownoutProvider}
 * over them registered with the OpenFeature SDK under a domain of its own, so that tests never
 * share the SDK's global provider.
 */
final class TestRuntime implements AutoCloseable {

  private static final AtomicInteger DOMAINS = new AtomicInteger();

  final Brownout brownout =
      Brownout.builder()
          .config(ConfigSource.of(Map.of("brownout.features.refresh", "0"), "test"))
          .build();
  final Features features = Features.of(brownout);
  final BrownoutProvider provider = BrownoutProvider.of(features);
  final String domain = "brownout-test-" + DOMAINS.incrementAndGet();
  final Client client;

  TestRuntime() {
    OpenFeatureAPI.getInstance().setProviderAndWait(domain, provider);
    client = OpenFeatureAPI.getInstance().getClient(domain);
  }

  @Override
  public void close() {
    provider.shutdown();
    brownout.close();
  }
}
