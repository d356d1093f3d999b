package dev.brownout.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The runtime most guard tests share: a {@link Brownout} on a hand-driven {@link ManualTicker},
 * closed after each test, and a dependency that counts its attempts and always fails.
 */
abstract class GuardFixture {

  final ManualTicker ticker = new ManualTicker();
  final Brownout brownout = Brownout.builder().ticker(ticker).build();
  final AtomicInteger attempts = new AtomicInteger();

  @AfterEach
  void close() {
    brownout.close();
  }

  /** A retry of {@code attempts} attempts that does not wait between them. */
  static RetryConfig.Builder noWaitRetry(int attempts) {
    return RetryConfig.builder().maxAttempts(attempts).backoff(Backoff.fixed(Duration.ZERO));
  }

  /** Counts an attempt and fails it with {@code IOException("down")}. */
  String failing() throws IOException {
    attempts.incrementAndGet();
    throw new IOException("down");
  }
}
