package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PrepareOptions;
import io.vertx.sqlclient.PreparedQuery;
import io.vertx.sqlclient.Query;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.SqlResult;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.TransactionPropagation;
import io.vertx.sqlclient.TransactionRollbackException;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.internal.SqlConnectionInternal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collector;

/**
 * A PostgreSQL pool whose every use has a deadline that also retires the connection. vertx-pg-client 5.0.7 has
 * no query timeout: a statement sent to a host that died silently (no FIN, no RST) waits until the kernel gives
 * up, and its pooled connection with it. Here each statement, and each transaction as a whole, runs on a
 * connection taken from the pool; if it has not finished within the deadline it fails with a
 * {@link TimeoutException} (a 503, like any backend fault) and the connection's socket is closed, so the pool
 * drops it and opens a fresh one for the next caller. A transaction cut this way never committed, or its
 * outcome is unknown, exactly as after a lost connection (the purchase state machine covers both).
 *
 * <p>Callers see an ordinary {@link Pool}. {@link #getConnection()} hands out a plain pooled connection (no
 * deadline): use {@link #withConnection} or {@link #withTransaction}.
 */
public final class DeadlinePool implements Pool {
  private static final Logger log = LoggerFactory.getLogger(DeadlinePool.class);

  private final Vertx vertx;
  private final Pool pool;
  private final long timeoutMs;

  public DeadlinePool(Vertx vertx, Pool pool, long timeoutMs) {
    this.vertx = vertx;
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public <T> Future<T> withConnection(Function<SqlConnection, Future<T>> work) {
    return pool.getConnection().compose(conn -> {
      Promise<T> done = Promise.promise();
      long timer = vertx.setTimer(timeoutMs, id -> {
        if (done.tryFail(new TimeoutException("PostgreSQL did not answer within " + timeoutMs + " ms"))) {
          log.warn("PostgreSQL did not answer within {} ms: retiring the connection", timeoutMs);
          retire(conn);
        }
      });
      Future<T> result;
      try {
        result = work.apply(conn);
      } catch (RuntimeException e) {
        result = Future.failedFuture(e);
      }
      result.onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          done.tryComplete(ar.result());
        } else {
          done.tryFail(ar.cause());
        }
        conn.close(); // back to the pool, or (retired) gone already
      });
      return done.future();
    });
  }

  @Override
  public <T> Future<T> withTransaction(Function<SqlConnection, Future<T>> work) {
    return withConnection(conn -> conn.begin().compose(tx -> work.apply(conn).compose(
        res -> tx.commit().map(res),
        err -> err instanceof TransactionRollbackException ? Future.failedFuture(err)
            : tx.rollback().transform(ignored -> Future.failedFuture(err)))));
  }

  @Override
  public <T> Future<T> withTransaction(TransactionPropagation propagation, Function<SqlConnection, Future<T>> work) {
    return propagation == TransactionPropagation.NONE ? withTransaction(work) : pool.withTransaction(propagation, work);
  }

  @Override
  public Future<SqlConnection> getConnection() {
    return pool.getConnection();
  }

  @Override
  public Query<RowSet<Row>> query(String sql) {
    return new TimedQuery<>(c -> c.query(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql) {
    return new TimedPreparedQuery<>(c -> c.preparedQuery(sql));
  }

  @Override
  public PreparedQuery<RowSet<Row>> preparedQuery(String sql, PrepareOptions options) {
    return new TimedPreparedQuery<>(c -> c.preparedQuery(sql, options));
  }

  @Override
  public int size() {
    return pool.size();
  }

  @Override
  public Future<Void> close() {
    return pool.close();
  }

  /**
   * Closes the socket itself: {@code SqlConnection.close()} of a pooled connection only hands it back to the
   * pool, silent socket and all. Uses the client's implementation classes (checked by the silent-host tests).
   */
  static void retire(SqlConnection conn) {
    if (conn instanceof SqlConnectionInternal internal) {
      io.vertx.sqlclient.internal.Connection c = internal.unwrap();
      while (c.unwrap() != c) {
        c = c.unwrap();
      }
      if (c instanceof SocketConnectionBase socket) {
        socket.socket().close();
        return;
      }
    }
    conn.close();
  }

  /** A query that runs on its own pooled connection under the deadline; mapping and collecting compose. */
  private class TimedQuery<T> implements Query<T> {
    final Function<SqlConnection, Query<T>> on;

    TimedQuery(Function<SqlConnection, Query<T>> on) {
      this.on = on;
    }

    @Override
    public Future<T> execute() {
      return withConnection(c -> on.apply(c).execute());
    }

    @Override
    public <R> Query<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new TimedQuery<>(c -> on.apply(c).collecting(collector));
    }

    @Override
    public <U> Query<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new TimedQuery<>(c -> on.apply(c).mapping(mapper));
    }
  }

  private final class TimedPreparedQuery<T> implements PreparedQuery<T> {
    final Function<SqlConnection, PreparedQuery<T>> on;

    TimedPreparedQuery(Function<SqlConnection, PreparedQuery<T>> on) {
      this.on = on;
    }

    @Override
    public Future<T> execute() {
      return withConnection(c -> on.apply(c).execute());
    }

    @Override
    public Future<T> execute(Tuple tuple) {
      return withConnection(c -> on.apply(c).execute(tuple));
    }

    @Override
    public Future<T> executeBatch(List<Tuple> batch) {
      return withConnection(c -> on.apply(c).executeBatch(batch));
    }

    @Override
    public <R> PreparedQuery<SqlResult<R>> collecting(Collector<Row, ?, R> collector) {
      return new TimedPreparedQuery<>(c -> on.apply(c).collecting(collector));
    }

    @Override
    public <U> PreparedQuery<RowSet<U>> mapping(Function<Row, U> mapper) {
      return new TimedPreparedQuery<>(c -> on.apply(c).mapping(mapper));
    }
  }
}
