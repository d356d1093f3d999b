package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The JDK {@code HttpServer} adapter, through {@link AdminServer}, over real HTTP. */
class AdminHandlerTest extends AdminOverHttpContract {

  private AdminServer server;

  @Override
  URI start(AdminApi admin) {
    server = AdminServer.start(admin, 0);
    return URI.create("http://127.0.0.1:" + server.address().getPort());
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
}
