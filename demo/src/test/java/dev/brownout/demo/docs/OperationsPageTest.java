package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.redis.RedisSwitchSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/**
 * The example of docs/operations.md, run against a redis-server of the test's own on a free loopback
 * port. Without redis-server on the PATH the test is skipped, except under CI ({@code CI=true}),
 * where it fails, as degradation-redis's tests do.
 */
class OperationsPageTest {

  @Test
  void aSwitchSetOnOneInstanceReachesAnother() throws Exception {
    int port = freePort();
    Process redis = startRedis(port);
    try {
      String uri = "redis://127.0.0.1:" + port;
      PrintStream original = System.out;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
        System.setOut(out);
        FleetSwitches.main(new String[] {uri});
      } finally {
        System.setOut(original);
      }
      assertThat(captured.toString(StandardCharsets.UTF_8))
          .startsWith("FeatureState[feature=feed.recommendations, priority=P2, setting=OFF by=alice until=");

      // Another instance of checkout, started later, begins with the switch already set.
      try (Brownout other = Brownout.builder().build()) {
        Features features = Features.of(other);
        features.addSource(RedisSwitchSource.builder(uri).keyPrefix("checkout:").instanceId("checkout-2").build());
        await().atMost(Duration.ofSeconds(30))
            .until(() -> !features.feature("feed.recommendations").isEnabled());
        assertThat(features.feature("feed.recommendations").state().source()).isEqualTo("redis:checkout-1");
      }
    } finally {
      redis.destroy();
      redis.waitFor();
    }
  }

  private static Process startRedis(int port) throws Exception {
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    Process process;
    try {
      process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
              "--save", "", "--appendonly", "no")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      if (ci) {
        throw new AssertionError("redis-server must be on the PATH under CI", e);
      }
      throw new TestAbortedException("redis-server is not on the PATH", e);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> accepts(port));
    return process;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return socket.isConnected();
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
