package dev.ticketrush.order;

import dev.ticketrush.event.Category;
import dev.ticketrush.event.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * An order's lines as its buyer sees them: seat, label, category and price. Derived from the event's prices,
 * which no request changes after creation (PATCH touches the sale's window and cap only), so they always add up
 * to the total stored with the order and charged.
 */
final class OrderItems {
  private OrderItems() {
  }

  static JsonArray of(Event e, List<Integer> seats) {
    JsonArray items = new JsonArray();
    for (int seat : seats) {
      Category c = e.categoryOf(seat);
      items.add(new JsonObject().put("seat", seat).put("label", e.labelOf(seat)).put("category", c.id())
          .put("price", c.price()));
    }
    return items;
  }

  /** The order's JSON with its items (a stored answer may predate them). */
  static JsonObject withItems(Event e, JsonObject order) {
    List<Integer> seats = order.getJsonArray("seats").stream().map(s -> ((Number) s).intValue()).toList();
    return order.put("items", of(e, seats));
  }
}
