package dev.ticketrush.event;

import io.vertx.core.json.JsonObject;

/** Rows {@code fromRow..toRow} (inclusive) of a section priced as {@code category} instead of the section's own. */
public record RowCategory(int fromRow, int toRow, String category) {
  public boolean covers(int row) {
    return row >= fromRow && row <= toRow;
  }

  public JsonObject toJson() {
    return new JsonObject().put("fromRow", fromRow).put("toRow", toRow).put("category", category);
  }

  public static RowCategory fromJson(JsonObject json) {
    return new RowCategory(json.getInteger("fromRow"), json.getInteger("toRow"), json.getString("category"));
  }
}
