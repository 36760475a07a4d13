package dev.ticketrush.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A plain HTTP client for tests, speaking to a node like any client would (java.net.http, blocking on the
 * JUnit thread or async for races).
 */
public final class Api {
  private final String base;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Api(String base) {
    this.base = base;
  }

  public Api(TestNode node) {
    this(node.baseUrl());
  }

  public record Reply(int status, Map<String, List<String>> headers, String body) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .findFirst().map(e -> e.getValue().get(0)).orElse(null);
    }

    public String code() {
      return json().getString("code");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public String token(String sub, String... roles) {
    Reply r = post("/api/dev/tokens", null, new JsonObject().put("sub", sub).put("roles", new JsonArray(List.of((Object[]) roles))).encode());
    if (r.status != 200) {
      throw new IllegalStateException("token: " + r);
    }
    return r.json().getString("token");
  }

  /** Creates an event as admin; {@code extra} is merged into the body. */
  public JsonObject createEvent(int rows, int seatsPerRow, JsonObject extra) {
    String admin = token("admin-" + System.nanoTime(), "admin");
    JsonObject body = new JsonObject().put("name", "Test event")
        .put("sections", new JsonArray().add(new JsonObject().put("name", "A").put("rows", rows).put("seatsPerRow", seatsPerRow)));
    extra.forEach(e -> body.put(e.getKey(), e.getValue()));
    Reply r = post("/api/events", admin, body.encode());
    if (r.status != 201) {
      throw new IllegalStateException("create event: " + r);
    }
    return r.json();
  }

  public Reply get(String path, String token) {
    return send(request(path, token).GET().build());
  }

  public Reply get(String path, String token, Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token);
    headers.forEach(b::header);
    return send(b.GET().build());
  }

  public Reply post(String path, String token, String body) {
    return send(request(path, token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public Reply post(String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token).header("Content-Type", "application/json");
    headers.forEach(b::header);
    return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public CompletableFuture<Reply> postAsync(String path, String token, String body, Map<String, String> headers) {
    HttpRequest.Builder b = request(path, token).header("Content-Type", "application/json");
    headers.forEach(b::header);
    return http.sendAsync(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(r -> new Reply(r.statusCode(), r.headers().map(), r.body()));
  }

  public Reply patch(String path, String token, String body) {
    return send(request(path, token).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
  }

  public Reply delete(String path, String token) {
    return send(request(path, token).DELETE().build());
  }

  public Reply hold(long eventId, String token, int... seats) {
    JsonArray a = new JsonArray();
    for (int s : seats) {
      a.add(s);
    }
    return post("/api/events/" + eventId + "/holds", token, new JsonObject().put("seats", a).encode());
  }

  public JsonObject seats(long eventId) {
    Reply r = get("/api/events/" + eventId + "/seats", null);
    if (r.status != 200) {
      throw new IllegalStateException("seats: " + r);
    }
    return r.json();
  }

  private HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Reply send(HttpRequest req) {
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.headers().map(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
