package dev.ticketrush.seat;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.infra.RedisLink;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Calls of sweep-due.lua that a test makes directly, to order a race's steps by hand. */
final class SeatScriptsTestAccess {
  private static final LuaScript SWEEP_DUE = LuaScript.load("sweep-due");

  private SeatScriptsTestAccess() {
  }

  static void settle(RedisLink redis, long eventId, String readScore, String next) {
    try {
      SWEEP_DUE.call(redis, Keyspace.sweepDue(), List.of("settle", eventId, readScore, next))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
