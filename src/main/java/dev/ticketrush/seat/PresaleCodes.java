package dev.ticketrush.seat;

import dev.ticketrush.infra.Keyspace;
import dev.ticketrush.infra.LuaScript;
import dev.ticketrush.infra.RedisLink;
import dev.ticketrush.outcome.Outcome;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The presale access codes' two copies kept in step: Redis' hot copy (codes.lua; hold.lua and best.lua decide
 * with it) loaded from PostgreSQL, and PostgreSQL told of every binding the scripts made. Event-loop confined,
 * like {@link SeatScripts}, which owns it.
 */
final class PresaleCodes {
  private static final Logger log = LoggerFactory.getLogger(PresaleCodes.class);
  private static final LuaScript CODES = LuaScript.load("codes");
  /** Codes per codes.lua call when a restore loads them (three arguments each). */
  static final int CODES_PER_CALL = 2_000;
  /** Bindings this node remembers having written to PostgreSQL; past it the memory starts again (a rewrite is harmless). */
  private static final int BINDINGS_REMEMBERED = 100_000;

  private final RedisLink redis;
  private final AccessCodeStore inDatabase;
  /** "event hash" of the code bindings this node wrote to PostgreSQL (see {@link #bindingWritten}). */
  private final Set<String> bindingsWritten = new HashSet<>();

  PresaleCodes(RedisLink redis, AccessCodeStore inDatabase) {
    this.redis = redis;
    this.inDatabase = inDatabase;
  }

  /**
   * A code the script accepted is bound to the caller in Redis (maybe just now): PostgreSQL learns it before the
   * answer goes out, so an answered binding survives Redis losing its data. Written once per code and node; a
   * failed write is logged and tried again by the caller's next request (the binding holds in Redis meanwhile).
   */
  Future<SeatResult> bindingWritten(long eventId, String user, Access access, SeatResult result) {
    Outcome o = result.outcome();
    if (!access.hasCode() || o == Outcome.ACCESS_CODE_INVALID || o == Outcome.INVALID_REQUEST) {
      return Future.succeededFuture(result);
    }
    String key = eventId + " " + access.codeHash();
    if (bindingsWritten.contains(key)) {
      return Future.succeededFuture(result);
    }
    return inDatabase.bound(eventId, access.codeHash(), user).map(v -> {
      if (bindingsWritten.size() >= BINDINGS_REMEMBERED) {
        bindingsWritten.clear();
      }
      bindingsWritten.add(key);
      return result;
    }).recover(err -> {
      log.warn("event {}: could not write an access code's binding to PostgreSQL: {}", eventId, err.toString());
      return Future.succeededFuture(result);
    });
  }

  /** Adds newly minted codes to Redis' hot copy. */
  Future<Void> add(long eventId, List<AccessCodeStore.Stored> codes) {
    return load(eventId, codes, false);
  }

  /** Every code of the event and its binding, from PostgreSQL into Redis, then marked loaded (a restore). */
  Future<Void> loadAll(long eventId) {
    return inDatabase.codes(eventId).compose(all -> load(eventId, all, true));
  }

  /** Puts codes into Redis in parts of {@link #CODES_PER_CALL}; {@code complete}: mark them loaded after the last. */
  private Future<Void> load(long eventId, List<AccessCodeStore.Stored> codes, boolean complete) {
    // At least one call when complete: the mark must be set even for an event without codes.
    int parts = Math.max(complete ? 1 : 0, (codes.size() + CODES_PER_CALL - 1) / CODES_PER_CALL);
    Future<?> chain = Future.succeededFuture();
    for (int p = 0; p < parts; p++) {
      List<AccessCodeStore.Stored> part = codes.subList(p * CODES_PER_CALL, Math.min(codes.size(), (p + 1) * CODES_PER_CALL));
      List<Object> args = new ArrayList<>(1 + part.size() * 3);
      args.add(complete && p == parts - 1 ? "1" : "0");
      for (AccessCodeStore.Stored c : part) {
        args.add(c.hash());
        args.add(c.allocation());
        args.add(c.boundTo() == null ? "" : c.boundTo());
      }
      chain = chain.compose(x -> CODES.call(redis, Keyspace.seatScript(eventId, null), args));
    }
    return chain.mapEmpty();
  }
}
