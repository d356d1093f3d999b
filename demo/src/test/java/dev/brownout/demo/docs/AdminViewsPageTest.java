package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

import dev.brownout.admin.AdminViews;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.Guard;
import dev.brownout.degradation.Features;
import dev.brownout.recover.Recover;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The example of docs/admin.md's section on AdminViews. */
class AdminViewsPageTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Features features = Features.of(brownout);

  @AfterEach
  void close() {
    features.close();
    brownout.close();
  }

  @Test
  void theViewsAreTheApisSectionsAsPlainData() {
    brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults()).forceOpen();
    features.define("feed.recommendations").register();
    RecentIncidents incidents = RecentIncidents.keeping(100);
    Recover.builder().log(incidents).build().recover("task:nightly", new IllegalStateException());
    // docs:begin
    AdminViews views = AdminViews.of(brownout, features, incidents);
    List<Object> breakers = views.breakers();   // [{"name": "payments", "state": "FORCED_OPEN", ...}]
    Map<String, Object> feature = views.feature("feed.recommendations"); // null if nobody defined it
    List<Object> recent = views.incidents();    // oldest first, as GET api/v1/incidents
    // docs:end
    assertThat(breakers).singleElement().asInstanceOf(MAP)
        .containsEntry("name", "payments").containsEntry("state", "FORCED_OPEN");
    assertThat(feature).containsEntry("name", "feed.recommendations").containsEntry("effective", "ON");
    assertThat(recent).singleElement().asInstanceOf(MAP)
        .containsEntry("kind", "java.lang.IllegalStateException");
    assertThat(views.feature("typo")).isNull();
    assertThat(features.find("typo")).isNull();
  }

  @Test
  void aBreakersLastSecondIsCountedWhenTheViewsAreSampled() throws Exception {
    Guard payments =
        brownout
            .guard("payments")
            .circuitBreaker(brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults()))
            .build();
    AdminViews views = AdminViews.of(brownout, features);
    assertThat(views.breakers()).singleElement().asInstanceOf(MAP).containsEntry("lastSecond", null);
    payments.call(() -> "paid");
    ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
    // docs:begin
    ScheduledFuture<?> sampling =
        ticks.scheduleWithFixedDelay(views::sampleBreakerCalls, 0, 1, TimeUnit.SECONDS);
    // docs:end
    try {
      assertThat(sampling.isDone()).isFalse();
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(views.breakers()).singleElement().asInstanceOf(MAP)
              .containsEntry("lastSecond",
                  Map.of("calls", 1L, "failed", 0L, "rejected", 0L, "failureRate", 0.0))
              .containsEntry("failureRate", 0.0));
    } finally {
      ticks.shutdownNow();
    }
  }
}
