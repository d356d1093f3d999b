package dev.brownout.demo.docs;

// docs:begin
import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.redis.RedisSwitchSource;
import java.time.Duration;

public class FleetSwitches {
  public static void main(String[] args) {
    String redis = args.length > 0 ? args[0] : "redis://localhost:6379";
    try (Brownout brownout = Brownout.builder().build()) {
      Features features = Features.of(brownout);
      features.addSource(
          RedisSwitchSource.builder(redis)
              .keyPrefix("checkout:")        // several services can share one Redis
              .instanceId("checkout-1")      // default: $HOSTNAME-<pid>
              .build());
      // Set on this instance, in force on every instance of checkout within a moment:
      features.set("feed.recommendations",
          Switch.off("store is down").by("alice").lasting(Duration.ofMinutes(30)));
      System.out.println(features.feature("feed.recommendations").state());
    }
  }
}
// docs:end
