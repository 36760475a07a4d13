package dev.ticketrush.infra;

import java.util.List;

/**
 * Every Redis key of Ticket Rush, in one place. All keys of one event carry the hash tag {@code {eventId}}, so
 * every script touches one Redis Cluster slot; nothing spans events.
 *
 * <table>
 *   <caption>keys of event 42</caption>
 *   <tr><th>key</th><th>type</th><th>holds</th></tr>
 *   <tr><td>{@code ev:{42}:holds}</td><td>hash</td><td>seat → owner user id</td></tr>
 *   <tr><td>{@code ev:{42}:expiry}</td><td>sorted set</td><td>seat → hold expiry (ms, Redis clock)</td></tr>
 *   <tr><td>{@code ev:{42}:sold}</td><td>set</td><td>sold seats (mirror of PostgreSQL's tickets)</td></tr>
 *   <tr><td>{@code ev:{42}:version}</td><td>string (counter)</td><td>+1 per seat status change</td></tr>
 *   <tr><td>{@code ev:{42}:log}</td><td>stream</td><td>one entry per change, id {@code <version>-0}, fields s, st, t</td></tr>
 *   <tr><td>{@code ev:{42}:paying}</td><td>hash</td><td>seat → "original expiry, charge key" while a payment runs (pinned)</td></tr>
 *   <tr><td>{@code ev:{42}:held:USER}</td><td>zset</td><td>the user's held seats, scored by their expiry (what
 *   {@code maxSeatsPerUser} counts; the set {@code mine:USER} before it is no longer read)</td></tr>
 *   <tr><td>{@code ev:{42}:taken}</td><td>bitmap</td><td>bit SEAT = 1 while held (even expired, until swept) or
 *       sold, bit 0 = built; kept by every seat script, read by best.lua to skip full rows</td></tr>
 *   <tr><td>{@code ev:{42}:sale}</td><td>hash</td><td>the sale's rules the hold scripts decide by: rev, start, end,
 *       on, cap (maxTicketsPerUser); written at creation, by PATCH and by a restore</td></tr>
 *   <tr><td>{@code ev:{42}:owned}</td><td>hash</td><td>user → seats held (pinned too) + seats bought: what
 *       maxTicketsPerUser counts, kept by every seat script that moves a seat between owners</td></tr>
 *   <tr><td>{@code ev:{42}:buyers}</td><td>hash</td><td>sold seat → buyer (from PostgreSQL's tickets on a restore),
 *       what the owned counts are rebuilt from</td></tr>
 *   <tr><td>{@code ev:{42}:codes}</td><td>hash</td><td>presale access codes: SHA-256 hex of a code → its
 *       allocation, or "allocation user" once bound (the hold scripts bind and check it); field {@code *} marks the
 *       codes as loaded (from PostgreSQL's {@code access_codes} after a data loss)</td></tr>
 *   <tr><td>{@code ev:{42}:presence}</td><td>sorted set</td><td>node id → expiry of its watcher count</td></tr>
 *   <tr><td>{@code ev:{42}:presence:n}</td><td>hash</td><td>node id → watchers on that node</td></tr>
 *   <tr><td>{@code ev:{42}:q:line}</td><td>sorted set</td><td>waiting users → place in line</td></tr>
 *   <tr><td>{@code ev:{42}:q:entry}</td><td>hash</td><td>admitted users → entry expiry</td></tr>
 *   <tr><td>{@code ev:{42}:q:active}</td><td>sorted set</td><td>admitted users → last seen</td></tr>
 *   <tr><td>{@code ev:{42}:q:state}</td><td>hash</td><td>admission counters: served, rate bucket, …</td></tr>
 *   <tr><td>{@code sweep:due}</td><td>sorted set</td><td>the service's one index of due sweeping: event id → when
 *       its next hold expires (see sweep-due.lua); the sweeper takes only due events</td></tr>
 *   <tr><td>{@code events:live}</td><td>sorted set</td><td>the index of live events: event id → live until (ms;
 *       last activity + the grace); the reconciler and the admitter work only on these (see live-events.lua)</td></tr>
 *   <tr><td>{@code rl:{42}:u:USER}, {@code rl:{42}:ip:IP}</td><td>hash</td><td>token buckets of the rate limits</td></tr>
 * </table>
 */
public final class Keyspace {
  private Keyspace() {
  }

  private static String event(long eventId) {
    return "ev:{" + eventId + "}:";
  }

  public static String version(long eventId) {
    return event(eventId) + "version";
  }

  public static String changeLog(long eventId) {
    return event(eventId) + "log";
  }

  public static String sold(long eventId) {
    return event(eventId) + "sold";
  }

  /** The sale's rules (see seat-common.lua, write_sale). */
  public static String saleRules(long eventId) {
    return event(eventId) + "sale";
  }

  public static String taken(long eventId) {
    return event(eventId) + "taken";
  }

  /** The KEYS of every seat script, in the order seat-common.lua names them. */
  public static List<String> seatScript(long eventId, String user) {
    String p = event(eventId);
    return List.of(p + "holds", p + "expiry", p + "sold", p + "version", p + "log", p + "paying",
        p + "held:" + (user == null ? "" : user), p + "taken", saleRules(eventId), p + "owned", p + "buyers",
        p + "codes");
  }

  /**
   * The KEYS of cancel.lua: the event's seat keys, then the set of cancelled orders whose seats came back (what
   * makes a second run for the same order change nothing).
   */
  public static List<String> cancelScript(long eventId) {
    List<String> keys = new java.util.ArrayList<>(seatScript(eventId, null));
    keys.add(event(eventId) + "cancelled");
    return keys;
  }

  /** The KEYS of sweep-due.lua: one key for all events (its own slot; no script touches it and an event's keys). */
  public static List<String> sweepDue() {
    return List.of("sweep:due");
  }

  /**
   * The KEYS of live-events.lua: the index of live events (event id → live until, ms), one key for all events.
   * Reconciling and admission rounds take their events from it, not from the catalog.
   */
  public static List<String> liveEvents() {
    return List.of("events:live");
  }

  /** An event's hot keys that an ended event drops (rebuilt from PostgreSQL on demand): seats and presence. */
  public static List<String> hotKeys(long eventId) {
    List<String> keys = new java.util.ArrayList<>(seatScript(eventId, null));
    keys.addAll(presence(eventId));
    return keys;
  }

  /** The KEYS of presence.lua. */
  public static List<String> presence(long eventId) {
    String p = event(eventId);
    return List.of(p + "presence", p + "presence:n");
  }

  /**
   * The KEYS of the queue scripts, in the order queue-common.lua names them. The active set is apart from
   * any presence set, so watchers never count against {@code maxActive}.
   */
  public static List<String> queue(long eventId) {
    String p = event(eventId) + "q:";
    return List.of(p + "line", p + "entry", p + "active", p + "state", p + "drawn");
  }

  /** A queue-join proof-of-work challenge of one event: its user, until it expires or is used. */
  public static String queueChallenge(long eventId, String challenge) {
    return event(eventId) + "q:ch:" + challenge;
  }

  /** The KEYS of ratelimit.lua: the user's and the client address's bucket for one event. */
  public static List<String> rateLimits(long eventId, String user, String ip) {
    String tag = "rl:{" + eventId + "}:";
    return List.of(tag + "u:" + user, tag + "ip:" + ip);
  }
}
