package dev.ticketrush.loadtest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How fast a seat change reaches WebSocket watchers (mirror of k6/websocket-propagation.js, but measured for
 * every watcher and every change). {@code --ws-clients} watchers keep {@code /ws/events/{id}} open; one writer
 * makes {@code --changes-per-second} holds/releases on a fresh event. For every change and every watcher the
 * delay from the writer's 201/204 (and, separately, from sending the request) to the patch carrying that change
 * is recorded; a watcher that has not seen a change 5 s after its answer is a missed delivery. Watchers also
 * check that patch versions are gap-free. While the watchers are connected the service's heap is sampled from
 * {@code /metrics} ({@code jvm_memory_used_bytes{area="heap"}}).
 */
final class WsPropagation implements Scenario {
  /** The writer's seats; each writer user owns at most 100 of them (the event's per-user limit). */
  static final int WRITER_SEATS = 2000;
  static final int CONNECTS_IN_FLIGHT = 100;

  @Override
  public String name() {
    return "ws-propagation";
  }

  @Override
  public Future<Void> run(ScenarioContext ctx) {
    JsonObject extra = new JsonObject().put("maxSeatsPerUser", 100).put("holdTtlMs", 3_600_000);
    return ctx.createEvent("loadtest ws-propagation", ScenarioContext.tenThousandSeats(), extra)
        .compose(event -> {
          int seats = Math.min(WRITER_SEATS, event.getInteger("seatCount"));
          int writers = (seats + 99) / 100;
          return ctx.mintUsers("lt-writer", writers).compose(tokens -> new Run(ctx, event.getLong("id"), seats, tokens).start());
        });
  }

  private static final class Run {
    final ScenarioContext ctx;
    final long eventId;
    final int seats;
    final List<String> writerTokens;
    final PropagationTracker tracker;
    final WebSocketClient wsClient;
    final List<Watcher> watchers = new ArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger connected = new AtomicInteger();
    final LongAdder gaps = new LongAdder();
    final LongAdder wsErrors = new LongAdder();
    final LongAdder frames = new LongAdder();
    final LongAdder patches = new LongAdder();
    final AtomicLong heapMax = new AtomicLong(-1);
    final AtomicLong liveMax = new AtomicLong(-1);
    final long startNs = System.nanoTime();
    volatile boolean closing;
    // Writer state: touched only on the writer's event loop.
    final boolean[] held;
    final boolean[] busy;
    final int[] changeCount;
    long changesSent;
    int inFlight;

    Run(ScenarioContext ctx, long eventId, int seats, List<String> writerTokens) {
      this.ctx = ctx;
      this.eventId = eventId;
      this.seats = seats;
      this.writerTokens = writerTokens;
      this.tracker = new PropagationTracker(ctx.recorder(), seats);
      int n = ctx.options().wsClients();
      this.wsClient = ctx.vertx().createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(n + 16).setConnectTimeout(10_000).setTcpNoDelay(true)
          .setMaxFrameSize(1 << 20).setMaxMessageSize(8 << 20));
      this.held = new boolean[seats + 1];
      this.busy = new boolean[seats + 1];
      this.changeCount = new int[seats + 1];
    }

    Future<Void> start() {
      long totalMs = ctx.duration().toMillis();
      long connectStart = System.nanoTime();
      Budget connectBudget = new Budget(Duration.ofMillis(Math.max(1000, totalMs / 2)), Long.MAX_VALUE);
      return connectAll(connectBudget).compose(v -> {
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        ctx.extra().put("events", new JsonObject().put("ws-propagation", eventId))
            .put("watchersRequested", ctx.options().wsClients())
            .put("watchersConnected", open.get())
            .put("connectSeconds", Math.round(connectSeconds * 10) / 10.0)
            .put("changesPerSecondRequested", ctx.options().changesPerSecond());
        long leftMs = totalMs - (System.nanoTime() - startNs) / 1_000_000 - 6_000;
        long writeMs = Math.max(1000, leftMs);
        return sampleHeap().compose(x -> write(new Budget(Duration.ofMillis(writeMs), ctx.maxRequests())));
      }).compose(v -> drain()).compose(v -> closeAll()).map(v -> {
        ctx.extra().put("propagation", tracker.toJson()
                .put("versionGaps", gaps.sum())
                .put("wsErrors", wsErrors.sum())
                .put("framesReceived", frames.sum())
                .put("patchesReceived", patches.sum()))
            .put("serverHeapUsedMaxBytes", heapMax.get())
            .put("serverHeapLiveMaxBytes", liveMax.get());
        return null;
      });
    }

    // ---- watchers ----

    final class Watcher {
      final Context context;
      final int[] seen = new int[seats + 1];
      long lastVersion = -1;
      WebSocket socket;
      boolean ready;

      Watcher(Context context) {
        this.context = context;
      }

      void onFrame(Buffer data) {
        long now = System.nanoTime();
        frames.increment();
        SeatFrame f;
        try {
          f = SeatFrame.parse(data);
        } catch (Exception e) {
          wsErrors.increment();
          ctx.recorder().count("ws_bad_frames", 1);
          return;
        }
        switch (f.type) {
          case "snapshot" -> {
            lastVersion = f.version;
            if (!ready) {
              ready = true;
              open.incrementAndGet();
            }
          }
          case "patch" -> {
            patches.increment();
            if (lastVersion >= 0 && f.fromVersion != lastVersion + 1) {
              gaps.increment();
            }
            lastVersion = Math.max(lastVersion, f.toVersion);
            for (int i = 0; i < f.changes; i++) {
              int seat = f.seats[i];
              if (seat >= 1 && seat <= seats) {
                tracker.delivered(seat, ++seen[seat], now);
              }
            }
          }
          default -> ctx.recorder().count("ws_frames_" + f.type, 1);
        }
      }
    }

    Future<Void> connectAll(Budget budget) {
      int n = ctx.options().wsClients();
      List<Context> loops = ctx.loops();
      for (int i = 0; i < n; i++) {
        watchers.add(new Watcher(loops.get(i % loops.size())));
      }
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> chains = new ArrayList<>();
      for (int c = 0; c < Math.min(CONNECTS_IN_FLIGHT, n); c++) {
        Promise<Void> p = Promise.promise();
        connectNext(next, budget, p);
        chains.add(p.future());
      }
      // Every watcher must have its snapshot before the first change, or its per-seat counting would be off.
      return Future.join(chains).compose(v -> waitUntil(() -> open.get() >= connected.get(), 10_000));
    }

    void connectNext(AtomicInteger next, Budget budget, Promise<Void> done) {
      int i = next.getAndIncrement();
      if (i >= watchers.size() || !budget.timeLeft()) {
        done.complete();
        return;
      }
      Watcher w = watchers.get(i);
      w.context.runOnContext(v -> {
        long t0 = System.nanoTime();
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(ctx.options().host())
            .setPort(ctx.options().port()).setURI("/ws/events/" + eventId).setTimeout(10_000);
        wsClient.connect(o).onComplete(ar -> {
          long ns = System.nanoTime() - t0;
          if (ar.succeeded()) {
            ctx.recorder().record("ws_connect", 101, "101", ns);
            WebSocket ws = ar.result();
            w.socket = ws;
            connected.incrementAndGet();
            ws.handler(w::onFrame);
            ws.exceptionHandler(err -> wsErrors.increment());
            ws.closeHandler(x -> {
              if (w.ready) {
                open.decrementAndGet();
              }
              if (!closing) {
                wsErrors.increment();
                ctx.recorder().count("ws_closed_early", 1);
              }
            });
          } else {
            String msg = String.valueOf(ar.cause().getMessage());
            int status = msg.matches(".*\\b[45]\\d\\d\\b.*") ? 400 : 0;
            ctx.recorder().record("ws_connect", status, status == 0 ? "conn_error" : "refused: " + msg, ns);
            wsErrors.increment();
          }
          connectNext(next, budget, done);
        });
      });
    }

    Future<Void> waitUntil(java.util.function.BooleanSupplier cond, long maxMs) {
      Promise<Void> p = Promise.promise();
      long until = System.nanoTime() + maxMs * 1_000_000;
      ctx.vertx().setPeriodic(50, id -> {
        if (cond.getAsBoolean() || System.nanoTime() > until) {
          ctx.vertx().cancelTimer(id);
          p.tryComplete();
        }
      });
      return p.future();
    }

    // ---- writer ----

    Future<Void> write(Budget budget) {
      Promise<Void> done = Promise.promise();
      Context writer = ctx.control();
      int rate = ctx.options().changesPerSecond();
      writer.runOnContext(v -> {
        long[] last = {System.nanoTime()};
        double[] credit = {0};
        long heapTimer = ctx.vertx().setPeriodic(5_000, id -> sampleHeap());
        ctx.vertx().setPeriodic(10, id -> {
          long now = System.nanoTime();
          credit[0] = Math.min(credit[0] + rate * (now - last[0]) / 1e9, rate);
          last[0] = now;
          while (credit[0] >= 1) {
            if (!budget.tryTake(1)) {
              ctx.vertx().cancelTimer(id);
              ctx.vertx().cancelTimer(heapTimer);
              // The writer is done once its last answers are in: a change answered later would be expected of
              // watchers that are already closing.
              ctx.vertx().setPeriodic(10, w -> {
                if (inFlight == 0) {
                  ctx.vertx().cancelTimer(w);
                  done.tryComplete();
                }
              });
              return;
            }
            credit[0] -= 1;
            change();
          }
        });
      });
      long t0 = System.nanoTime();
      return done.future().map(v -> {
        ctx.extra().put("writeSeconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0)
            .put("changesAttempted", changesSent);
        return null;
      });
    }

    void change() {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      int seat = -1;
      for (int tries = 0; tries < 16; tries++) {
        int s = 1 + rnd.nextInt(seats);
        if (!busy[s]) {
          seat = s;
          break;
        }
      }
      if (seat < 0) {
        ctx.recorder().count("writer_skipped_busy", 1);
        return;
      }
      int s = seat;
      busy[s] = true;
      changesSent++;
      inFlight++;
      String token = writerTokens.get((s - 1) / 100);
      boolean release = held[s];
      int k = changeCount[s] + 1;
      long sent = System.nanoTime();
      PropagationTracker.Change change = tracker.expect(s, k, sent);
      Future<ApiClient.Reply> f = release
          ? ctx.api().release("release", eventId, token, s)
          : ctx.api().hold("hold", eventId, token, List.of(s));
      f.onComplete(ar -> {
        long answered = System.nanoTime();
        inFlight--;
        ApiClient.Reply r = ar.result();
        int expect = release ? 204 : 201;
        if (r.status() == expect) {
          held[s] = !release;
          changeCount[s] = k;
          tracker.answered(change, answered, open.get());
          busy[s] = false;
        } else {
          ctx.recorder().check("writer " + (release ? "release: 204" : "hold: 201"), false);
          // No answer: the change may or may not have happened, so this seat can no longer be counted; retire it.
          busy[s] = r.status() == 0;
        }
      });
    }

    Future<Void> drain() {
      return waitUntil(() -> {
        tracker.sweep(System.nanoTime(), false);
        return tracker.pending() == 0;
      }, PropagationTracker.DEADLINE_NS / 1_000_000 + 500).map(v -> {
        tracker.sweep(System.nanoTime(), true);
        return null;
      });
    }

    Future<Void> closeAll() {
      closing = true;
      List<Future<Void>> all = new ArrayList<>();
      for (Watcher w : watchers) {
        if (w.socket != null) {
          WebSocket ws = w.socket;
          Promise<Void> p = Promise.promise();
          w.context.runOnContext(v -> ws.close().onComplete(ar -> p.tryComplete()));
          all.add(p.future());
        }
      }
      return Future.join(all).eventually(wsClient::close).mapEmpty();
    }

    Future<Void> sampleHeap() {
      return ctx.api().metrics().map(text -> {
        heapMax.accumulateAndGet(heapUsed(text), Math::max);
        liveMax.accumulateAndGet(gauge(text, "jvm_gc_live_data_size_bytes"), Math::max);
        return null;
      });
    }
  }

  /** The first sample of a gauge in a Prometheus scrape (0 is "no major GC yet"), or -1. */
  static long gauge(String metrics, String name) {
    if (metrics == null) {
      return -1;
    }
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        try {
          return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  /** Sum of {@code jvm_memory_used_bytes{area="heap",...}} in a Prometheus scrape, or -1. */
  static long heapUsed(String metrics) {
    if (metrics == null) {
      return -1;
    }
    double sum = 0;
    boolean any = false;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        try {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          any = true;
        } catch (NumberFormatException ignored) {
          // a malformed sample is skipped, not fatal
        }
      }
    }
    return any ? (long) sum : -1;
  }
}
