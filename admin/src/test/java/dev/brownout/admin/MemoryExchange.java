package dev.brownout.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An exchange held in memory, authorized with the test token. */
class MemoryExchange implements Exchange {
  private final String method;
  private final String path;
  private final boolean loopback;
  int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  final ByteArrayOutputStream body = new ByteArrayOutputStream();
  String requestBody = "";
  private boolean withToken = true;
  private @Nullable String host = "127.0.0.1";

  MemoryExchange withoutToken(String host) {
    this.withToken = false;
    this.host = host;
    return this;
  }

  MemoryExchange(String method, String path, boolean loopback) {
    this.method = method;
    this.path = path;
    this.loopback = loopback;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public @Nullable String query() {
    return null;
  }

  @Override
  public @Nullable String header(String name) {
    return switch (name) {
      case "Authorization" -> withToken ? "Bearer " + AdminOverHttpContract.TOKEN : null;
      case "Host" -> host;
      case "Content-Type" -> "application/json";
      default -> null;
    };
  }

  @Override
  public boolean fromLoopback() {
    return loopback;
  }

  @Override
  public InputStream body() {
    return new ByteArrayInputStream(requestBody.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void send(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers.putAll(headers);
    this.body.writeBytes(body);
  }

  @Override
  public OutputStream stream(Map<String, String> headers) {
    this.status = 200;
    this.headers.putAll(headers);
    return body;
  }

  @Override
  public String toString() {
    return status + " " + body.toString(StandardCharsets.UTF_8);
  }
}
