package dev.brownout.demo.docs;

// docs:begin
import com.sun.net.httpserver.HttpServer;
import dev.brownout.core.Brownout;
import dev.brownout.recover.Recover;
import dev.brownout.recover.httpserver.RecoverFilter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

public class RecoverDemo {
  public static void main(String[] args) throws IOException {
    start(Brownout.builder().build(), 8080);
  }

  static HttpServer start(Brownout brownout, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/orders", exchange -> {
      throw new IllegalStateException("ledger offline: password=hunter2");
    }).getFilters().add(new RecoverFilter(Recover.of(brownout)));
    server.start();
    return server;
  }
}
// docs:end
