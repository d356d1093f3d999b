package dev.brownout.spring;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * With Spring Cloud Context: when a refresh changes {@code brownout.features.*} properties, applies
 * the switches again; a changed {@code brownout.guard.*} or {@code brownout.defaults.*} key is
 * logged as taking effect at the next start (a guard is immutable once built), not ignored.
 */
final class SwitchRefreshListener implements ApplicationListener<EnvironmentChangeEvent> {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchRefreshListener.class);

  private final BrownoutConfigRefresher refresher;

  SwitchRefreshListener(BrownoutConfigRefresher refresher) {
    this.refresher = refresher;
  }

  @Override
  public void onApplicationEvent(EnvironmentChangeEvent event) {
    if (event.getKeys().stream().anyMatch(key -> key.startsWith("brownout.features."))) {
      refresher.refreshSwitches();
    }
    List<String> guards =
        event.getKeys().stream()
            .filter(
                key -> key.startsWith("brownout.guard.") || key.startsWith("brownout.defaults."))
            .sorted()
            .toList();
    if (!guards.isEmpty()) {
      LOG.warn(
          "{} changed, but a guard is immutable once built: it takes effect at the next start",
          guards);
    }
  }
}
