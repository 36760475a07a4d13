package dev.ticketrush.event;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A block of seats, {@code rows × seatsPerRow} labelled {@code NAME-RR-NNN}, or a standing (general admission)
 * area of {@code capacity} unnumbered places labelled {@code NAME-NNNN}. Seat ids run section by section, and
 * inside a seated section row by row. {@code category} null means the event's first category (an event created
 * before categories existed has null everywhere).
 */
public record Section(String name, int rows, int seatsPerRow, String category, List<RowCategory> rowCategories,
                      boolean standing, int capacity) {

  public Section {
    rowCategories = rowCategories == null ? List.of() : List.copyOf(rowCategories);
  }

  /** A seated section of the default category. */
  public Section(String name, int rows, int seatsPerRow) {
    this(name, rows, seatsPerRow, null, List.of(), false, 0);
  }

  /** A standing area. */
  public static Section standing(String name, int capacity, String category) {
    return new Section(name, 0, 0, category, List.of(), true, capacity);
  }

  public int seatCount() {
    return standing ? capacity : rows * seatsPerRow;
  }

  /** The category id of a row (1-based), or null for the event's default. */
  public String categoryOfRow(int row) {
    for (RowCategory rc : rowCategories) {
      if (rc.covers(row)) {
        return rc.category();
      }
    }
    return category;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name);
    if (standing) {
      json.put("standing", true).put("capacity", capacity);
    } else {
      json.put("rows", rows).put("seatsPerRow", seatsPerRow);
    }
    if (category != null) {
      json.put("category", category);
    }
    if (!rowCategories.isEmpty()) {
      JsonArray rcs = new JsonArray();
      rowCategories.forEach(rc -> rcs.add(rc.toJson()));
      json.put("rowCategories", rcs);
    }
    return json;
  }

  /** A stored section (or one the contract checked the shapes of; {@link NewEvent} checks the rest). */
  public static Section fromJson(JsonObject json) {
    List<RowCategory> rcs = new ArrayList<>();
    JsonArray raw = json.getJsonArray("rowCategories");
    if (raw != null) {
      for (int i = 0; i < raw.size(); i++) {
        rcs.add(RowCategory.fromJson(raw.getJsonObject(i)));
      }
    }
    boolean standing = json.getBoolean("standing", false);
    return new Section(json.getString("name"), json.getInteger("rows", 0), json.getInteger("seatsPerRow", 0),
        json.getString("category"), rcs, standing, json.getInteger("capacity", 0));
  }
}
