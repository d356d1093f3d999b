package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import dev.brownout.admin.AdminViews;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.degradation.Features;
import dev.brownout.recover.Recover;
import java.util.List;
import java.util.Map;
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
}
