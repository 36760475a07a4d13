package dev.ticketrush.gatewaysim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Objects of one kind in creation order, listed the way Stripe lists them: newest first, a page ends with
 * the object whose id the next request passes as {@code starting_after}. Used from one event loop only.
 */
final class StoredObjects {
  private final String kind;
  private final List<JsonObject> inOrder = new ArrayList<>();
  private final Map<String, Integer> positionById = new HashMap<>();
  private final List<Long> addedAtMs = new ArrayList<>();

  StoredObjects(String kind) {
    this.kind = kind;
  }

  void add(JsonObject object) {
    positionById.put(object.getString("id"), inOrder.size());
    inOrder.add(object);
    addedAtMs.add(System.currentTimeMillis());
  }

  JsonObject get(String id) {
    Integer at = positionById.get(id);
    return at == null ? null : inOrder.get(at);
  }

  int size() {
    return inOrder.size();
  }

  /** One page of {@code GET url}: at most {@code limit} objects older than {@code startingAfter}. */
  JsonObject list(String url, int limit, String startingAfter) {
    int from = below(startingAfter, "starting_after");
    JsonArray data = new JsonArray();
    int i = from;
    for (; i >= 0 && data.size() < limit; i--) {
      data.add(inOrder.get(i));
    }
    return new JsonObject().put("object", "list").put("data", data).put("has_more", i >= 0).put("url", url);
  }

  /**
   * One page of matches, newest first; {@code page} is the opaque cursor of the previous result (here the id
   * of its last object). Only objects added before {@code indexedBefore} (epoch ms) are found: the search
   * index lags. A scan, not an index: the simulator favours simplicity over search speed.
   */
  JsonObject search(String url, Predicate<JsonObject> matches, int limit, String page, long indexedBefore) {
    int from = below(page, "page");
    JsonArray data = new JsonArray();
    String last = null;
    boolean more = false;
    for (int i = from; i >= 0; i--) {
      JsonObject o = inOrder.get(i);
      if (addedAtMs.get(i) < indexedBefore && matches.test(o)) {
        if (data.size() == limit) {
          more = true;
          break;
        }
        data.add(o);
        last = o.getString("id");
      }
    }
    return new JsonObject().put("object", "search_result").put("data", data).put("has_more", more)
        .put("next_page", more ? last : null).put("url", url);
  }

  private int below(String cursor, String param) {
    if (cursor == null) {
      return inOrder.size() - 1;
    }
    Integer at = positionById.get(cursor);
    if (at == null) {
      throw StripeError.noSuch(400, param, kind, cursor);
    }
    return at - 1;
  }
}
