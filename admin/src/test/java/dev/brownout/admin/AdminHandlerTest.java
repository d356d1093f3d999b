package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JDK {@code HttpServer} adapter, through {@link AdminServer}, over real HTTP. */
class AdminHandlerTest extends AdminOverHttpContract {

  private AdminServer server;
  private Duration deadline = AdminServer.EXCHANGE_DEADLINE;

  @Override
  URI start(AdminApi admin) {
    server = AdminServer.start(admin, new InetSocketAddress(host, 0), deadline);
    return URI.create("http://" + host.getHostAddress() + ":" + server.address().getPort());
  }

  @Override
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theServerBindsLoopbackAndNamesThePage() throws Exception {
    serve();

    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.uri().toString()).matches("http://127\\.0\\.0\\.1:[0-9]+/brownout/");
  }

  @Test
  void clientsThatSendAByteAndStopAreCutOffAndTheAdminAnswersAgain() throws Exception {
    deadline = Duration.ofMillis(300);
    serve();
    // more than the server's threads (8 streams + 4) and its queue (64) together
    List<Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 12 + 64 + 8; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), root.getPort());
        socket.getOutputStream().write("G".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        slow.add(socket);
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> send(get("/brownout/api/v1/state")).statusCode() == 200);

      assertThat(server.endedAtDeadline()).isGreaterThanOrEqualTo(12);
      for (Socket socket : slow) {
        socket.setSoTimeout(30_000);
        assertThat(readToEnd(socket.getInputStream()))
            .as("the server closed the slow connection without an answer")
            .isEmpty();
      }
    } finally {
      for (Socket socket : slow) {
        socket.close();
      }
    }
  }

  /** What the server sent before it closed the connection (reset counts as closed). */
  private static String readToEnd(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException reset) {
      return "";
    }
  }
}
