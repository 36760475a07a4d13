package dev.ticketrush.seat;

import io.vertx.core.Future;

import java.util.List;

/**
 * The durable side of presale access codes (PostgreSQL's {@code access_codes}): what Redis' hot copy is rebuilt
 * from after it lost its data, and where a binding the hold scripts made is written down. The seat scripts
 * decide bindings; this store only learns them.
 */
public interface AccessCodeStore {
  /** A code as stored: its SHA-256 in hex, its allocation, and the user it is bound to (null while unbound). */
  record Stored(String hash, String allocation, String boundTo) {
  }

  /** Every code of the event. */
  Future<List<Stored>> codes(long eventId);

  /** Writes down that the code is bound to {@code user} (keeps an earlier binding). */
  Future<Void> bound(long eventId, String hash, String user);
}
