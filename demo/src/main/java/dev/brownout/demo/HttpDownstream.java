package dev.brownout.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@link Downstream} over HTTP: what a real service's client would be, with no resilience of its
 * own.
 */
final class HttpDownstream implements Downstream {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI base;

  HttpDownstream(URI base) {
    this.base = base;
  }

  @Override
  public CommentThread comments(CommentsBuild build, int question) throws IOException {
    String body = get(build.path(), String.valueOf(question));
    try {
      return CommentsBuild.parse(body);
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(build.path() + " answered what is not a comments thread", e);
    }
  }

  @Override
  public String avatar(String user) throws IOException {
    return get(Downstreams.AVATARS, user);
  }

  @Override
  public List<String> recommendations(int question) throws IOException {
    return get(Downstreams.RECOMMENDATIONS, String.valueOf(question)).lines().toList();
  }

  private String get(String service, String id) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(service + "/" + id))
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(service + " call interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(service + " answered " + response.statusCode());
    }
    return response.body();
  }
}
