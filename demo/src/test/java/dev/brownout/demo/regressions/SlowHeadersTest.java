package dev.brownout.demo.regressions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 16: 32 connections that sent half their headers and then nothing (as many as
 * the demo server's request threads) denied service indefinitely, since the JDK server reads
 * headers on those threads and sets no time limit on a request by default. The demo now bounds the
 * time a request may take to arrive, so such connections are closed and normal requests are
 * answered.
 */
class SlowHeadersTest {

  /** More than the service's 32 request threads. */
  private static final int SLOW_CONNECTIONS = 40;

  @Test
  void moreSlowHeaderConnectionsThanRequestThreadsDoNotDenyService() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    List<Socket> slow = new ArrayList<>();
    try (ServedDemo demo = new ServedDemo()) {
      for (int i = 0; i < SLOW_CONNECTIONS; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), demo.port());
        socket
            .getOutputStream()
            .write(
                "GET /questions/1 HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      HttpRequest normal =
          HttpRequest.newBuilder(demo.uri().resolve("/questions/1"))
              .timeout(Duration.ofSeconds(3))
              .build();

      await()
          .atMost(Duration.ofSeconds(40))
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () ->
                  assertThat(client.send(normal, HttpResponse.BodyHandlers.ofString()).statusCode())
                      .isEqualTo(200));

      for (Socket socket : slow) {
        assertThat(closedByServer(socket)).isTrue();
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  /**
   * Whether the server has closed the connection (it sends nothing to a request that never
   * arrived).
   */
  private static boolean closedByServer(Socket socket) throws IOException {
    socket.setSoTimeout(20_000);
    InputStream in = socket.getInputStream();
    try {
      while (in.read() >= 0) {
        // whatever came before the close
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
