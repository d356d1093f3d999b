package dev.brownout.demo.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.core.Guard;
import dev.brownout.core.executor.BoundedExecutor;
import dev.brownout.core.executor.ContextPropagator;
import dev.brownout.core.executor.Deadline;
import dev.brownout.core.executor.DrainReport;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.core.executor.LeakDetector;
import dev.brownout.core.executor.ThreadFactories;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The examples of docs/executors.md, run. */
class ExecutorsPageTest {

  private static final Logger log = LoggerFactory.getLogger(ExecutorsPageTest.class);

  private final Brownout brownout = Brownout.builder().build();
  private final AtomicInteger warmed = new AtomicInteger();

  @AfterEach
  void close() {
    brownout.close();
  }

  record Page(String html) {}

  private Page renderPage(String request) {
    return new Page("<p>" + request + "</p>");
  }

  @Test
  void aBoundedExecutorAndItsDrain() throws Exception {
    String request = "GET /";
    Runnable warm = warmed::incrementAndGet;
    // docs:begin
    BoundedExecutor render = brownout.executor("render", ExecutorConfig.builder()
        .maxRunning(8)                       // workers
        .maxQueued(100)                      // waiting tasks
        .maxWait(Duration.ofMillis(20))      // optional: a caller may wait this long for room
        .build());
    Future<Page> page = render.submit("page", () -> renderPage(request));
    render.execute("warm-cache", warm);      // a failure here is logged once and counted
    // docs:end
    assertThat(page.get(10, TimeUnit.SECONDS)).isEqualTo(new Page("<p>GET /</p>"));

    // docs:begin
    DrainReport report = render.shutdown(Duration.ofSeconds(10));
    if (!report.clean()) {
      log.warn("cancelled {}, interrupted {}", report.cancelledQueued(), report.interruptedRunning());
    }
    // docs:end
    assertThat(report.clean()).isTrue();
    assertThat(warmed).hasValue(1);
  }

  @Test
  void virtualThreadsWhereTheJdkHasThem() throws Exception {
    // docs:begin
    ExecutorConfig io = ExecutorConfig.builder()
        .maxRunning(1_000).maxQueued(10_000)
        .threadFactory(ThreadFactories.virtualAvailable() ? ThreadFactories.virtual() : ThreadFactories.platform("io-"))
        .build();
    // docs:end
    BoundedExecutor executor = brownout.executor("io", io);
    assertThat(executor.submit("answer", () -> 42).get(10, TimeUnit.SECONDS)).isEqualTo(42);
  }

  @Test
  void partitions() throws Exception {
    Runnable refresh = warmed::incrementAndGet;
    // docs:begin
    BoundedExecutor pool = brownout.executor("pool", ExecutorConfig.builder()
        .maxRunning(10).maxQueued(50)
        .partition("feed", 30)               // feed: at most 3 workers and 15 waiting tasks
        .partition("search", 50)
        .build());
    Executor feed = pool.partition("feed");  // an ExecutorService view; tasks count against "feed"
    feed.execute(refresh);
    // docs:end
    assertThat(pool.partition("feed").maxRunning()).isEqualTo(3);
    assertThat(pool.partition("feed").maxQueued()).isEqualTo(15);
    assertThat(pool.shutdown(Duration.ofSeconds(10)).clean()).isTrue();
    assertThat(warmed).hasValue(1);
  }

  @Test
  void contextTravelsWithTheTask() throws Exception {
    // docs:begin
    ThreadLocal<String> tenant = new ThreadLocal<>();
    ExecutorConfig config = ExecutorConfig.builder()
        .contextPropagator(new ContextPropagator<String>() {
          @Override public String capture() { return tenant.get(); }
          @Override public String attach(String captured) { String before = tenant.get(); tenant.set(captured); return before; }
          @Override public void restore(String before) { tenant.set(before); }
        })
        .build();
    BoundedExecutor pool = brownout.executor("audited", config);

    tenant.set("acme");
    Future<String> audit = pool.submit("audit", () -> "audited for " + tenant.get());   // "audited for acme"
    // docs:end
    try {
      assertThat(audit.get(10, TimeUnit.SECONDS)).isEqualTo("audited for acme");
    } finally {
      tenant.remove();
    }
  }

  @SuppressWarnings("try") // the scope is what the example shows: it binds the deadline for the block
  private static Duration leftForTheTask(BoundedExecutor pool) throws Exception {
    // docs:begin
    try (Deadline.Scope scope = Deadline.after(Duration.ofMillis(300)).bind()) {
      Future<Duration> left = pool.submit("prices", () -> Deadline.current().orElseThrow().remaining());
      return left.get();   // the task ran with what was left of the 300 ms
    }
    // docs:end
  }

  @Test
  void deadlinesTravelWithTheTask() throws Exception {
    BoundedExecutor pool = brownout.executor("pricing", ExecutorConfig.builder().maxRunning(2).maxQueued(2).build());
    assertThat(leftForTheTask(pool)).isLessThanOrEqualTo(Duration.ofMillis(300));
    assertThat(Deadline.current()).isEmpty();
  }

  @Test
  void stuckTasks() {
    // docs:begin
    ExecutorConfig watched = ExecutorConfig.builder()
        .stuckThreshold(Duration.ofSeconds(30))
        .interruptStuck(true)                // optional
        .build();
    // docs:end
    assertThat(brownout.executor("watched", watched).stuck()).isZero();
  }

  record Response(InputStream body) {}

  private static String parse(InputStream body) throws IOException {
    return new String(body.readAllBytes(), StandardCharsets.UTF_8);
  }

  private String read(Response response) throws Exception {
    // docs:begin
    LeakDetector leaks = LeakDetector.builder().captureRate(0.05).build();   // 5% of opens keep their stack
    brownout.bindMeters(leaks);
    try (LeakDetector.Tracked<InputStream> body = leaks.track(response.body(), "http-body")) {
      return parse(body.resource());
    }
    // docs:end
  }

  @Test
  void trackedResources() throws Exception {
    Response response = new Response(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)));
    assertThat(read(response)).isEqualTo("{}");
  }

  @Test
  void aGuardOnAnExecutor() throws Exception {
    // docs:begin
    Guard inventory = brownout.guard("inventory")
        .executor(brownout.executor("inventory-io", ExecutorConfig.builder().maxRunning(20).maxQueued(20).build()))
        .timeout(Duration.ofMillis(300))
        .build();
    // docs:end
    assertThat(inventory.call(() -> Thread.currentThread().getName())).isNotEqualTo(Thread.currentThread().getName());
  }
}
