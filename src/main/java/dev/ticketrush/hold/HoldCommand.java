package dev.ticketrush.hold;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/** Builds and reads the JSON commands HttpVerticle and OrderService send to HoldVerticle. */
public final class HoldCommand {
  private HoldCommand() {
  }

  public static JsonObject hold(long eventId, String user, List<Integer> seats, long ttlMs, int maxPerUser, int seatCount) {
    return base("hold", eventId, user, seats).put("ttlMs", ttlMs).put("max", maxPerUser).put("seatCount", seatCount);
  }

  public static JsonObject release(long eventId, String user, int seat) {
    return base("release", eventId, user, List.of(seat));
  }

  public static JsonObject pin(long eventId, String user, List<Integer> seats, long windowMs, int seatCount) {
    return base("pin", eventId, user, seats).put("windowMs", windowMs).put("seatCount", seatCount);
  }

  public static JsonObject unpin(long eventId, String user, List<Integer> seats) {
    return base("unpin", eventId, user, seats);
  }

  public static JsonObject sell(long eventId, List<Integer> seats) {
    return base("sell", eventId, null, seats);
  }

  public static JsonObject init(long eventId) {
    return base("init", eventId, null, List.of());
  }

  static List<Integer> seats(JsonObject cmd) {
    JsonArray a = cmd.getJsonArray("seats");
    List<Integer> seats = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      seats.add(a.getInteger(i));
    }
    return seats;
  }

  private static JsonObject base(String op, long eventId, String user, List<Integer> seats) {
    return new JsonObject().put("op", op).put("eventId", eventId).put("user", user).put("seats", new JsonArray(new ArrayList<>(seats)));
  }
}
