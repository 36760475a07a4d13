package dev.ticketrush.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The invariant a ticket shop lives by, checked from the outside: no seat in two confirmed orders, no seat listed
 * twice as sold, and the sold seats of {@code GET /api/events/{id}/seats} are exactly the seats of the confirmed
 * orders (nothing sold without an order, no confirmed order whose seats are not sold).
 */
public final class OversellCheck {
  private OversellCheck() {
  }

  public record ConfirmedOrder(String orderId, List<Integer> seats) {
    public ConfirmedOrder {
      seats = List.copyOf(seats);
    }
  }

  /**
   * @param oversold seats sold more than once (in two or more confirmed orders, or twice in the sold list)
   */
  public record Result(
      int confirmedOrders,
      int confirmedSeats,
      int soldSeats,
      Map<Integer, List<String>> oversold,
      Set<Integer> soldWithoutOrder,
      Set<Integer> confirmedNotSold,
      List<String> problems) {

    public boolean passed() {
      return problems.isEmpty();
    }

    public int oversoldCount() {
      return oversold.size();
    }

    public JsonObject toJson() {
      JsonObject o = new JsonObject();
      oversold.forEach((seat, orders) -> o.put(String.valueOf(seat), new JsonArray(new ArrayList<>(orders))));
      return new JsonObject()
          .put("passed", passed())
          .put("oversold", oversoldCount())
          .put("confirmedOrders", confirmedOrders)
          .put("confirmedSeats", confirmedSeats)
          .put("soldSeats", soldSeats)
          .put("oversoldSeats", o)
          .put("soldWithoutOrder", new JsonArray(new ArrayList<>(soldWithoutOrder)))
          .put("confirmedNotSold", new JsonArray(new ArrayList<>(confirmedNotSold)))
          .put("problems", new JsonArray(new ArrayList<>(problems)));
    }
  }

  /** Pure: compares what the buyers were told (confirmed orders) with what the seat map says is sold. */
  public static Result check(Collection<ConfirmedOrder> orders, List<Integer> soldSeats) {
    Map<Integer, List<String>> owners = new TreeMap<>();
    int confirmedSeats = 0;
    for (ConfirmedOrder o : orders) {
      for (int seat : new TreeSet<>(o.seats())) {
        owners.computeIfAbsent(seat, k -> new ArrayList<>()).add(o.orderId());
        confirmedSeats++;
      }
    }
    Map<Integer, List<String>> oversold = new TreeMap<>();
    owners.forEach((seat, ids) -> {
      if (ids.size() > 1) {
        oversold.put(seat, ids);
      }
    });
    Map<Integer, Integer> soldCount = new HashMap<>();
    for (int s : soldSeats) {
      soldCount.merge(s, 1, Integer::sum);
    }
    soldCount.forEach((seat, n) -> {
      if (n > 1) {
        oversold.computeIfAbsent(seat, k -> new ArrayList<>()).add("listed " + n + "x as sold");
      }
    });
    Set<Integer> soldWithoutOrder = new TreeSet<>(soldCount.keySet());
    soldWithoutOrder.removeAll(owners.keySet());
    Set<Integer> confirmedNotSold = new TreeSet<>(owners.keySet());
    confirmedNotSold.removeAll(soldCount.keySet());

    List<String> problems = new ArrayList<>();
    if (!oversold.isEmpty()) {
      problems.add("oversell: " + oversold.size() + " seat(s) sold more than once, e.g. " + first(oversold));
    }
    if (!soldWithoutOrder.isEmpty()) {
      problems.add(soldWithoutOrder.size() + " sold seat(s) without a confirmed order, e.g. " + soldWithoutOrder.iterator().next());
    }
    if (!confirmedNotSold.isEmpty()) {
      problems.add(confirmedNotSold.size() + " confirmed seat(s) not sold in the seat map, e.g. " + confirmedNotSold.iterator().next());
    }
    return new Result(orders.size(), confirmedSeats, soldSeats.size(), oversold, soldWithoutOrder, confirmedNotSold, problems);
  }

  private static String first(Map<Integer, List<String>> m) {
    Map.Entry<Integer, List<String>> e = m.entrySet().iterator().next();
    return "seat " + e.getKey() + " in " + e.getValue();
  }
}
