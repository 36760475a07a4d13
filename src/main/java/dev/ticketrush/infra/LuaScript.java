package dev.ticketrush.infra;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from {@code src/main/resources/lua/}. Called with EVALSHA (the SHA-1 is computed here, so no
 * SCRIPT LOAD round trip); a {@code NOSCRIPT} answer, as after a Redis restart, falls back to EVAL, which also
 * caches the script again.
 */
public final class LuaScript {
  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /**
   * Loads {@code lua/NAME.lua} after {@code clock.lua} (every script's {@code now_ms()}) and the given preludes
   * (shared local functions; Redis has no include).
   */
  public static LuaScript load(String name, String... preludes) {
    StringBuilder source = new StringBuilder(read("clock")).append('\n');
    for (String p : preludes) {
      source.append(read(p)).append('\n');
    }
    return new LuaScript(name, source.append(read(name)).toString());
  }

  private static String read(String name) {
    String path = "lua/" + name + ".lua";
    try (InputStream in = LuaScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read script " + path, e);
    }
  }

  public String name() {
    return name;
  }

  public Future<Response> call(RedisLink redis, List<String> keys, List<?> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args))
        .recover(err -> {
          String msg = err.getMessage();
          if (msg != null && msg.startsWith("NOSCRIPT")) {
            return redis.send(request(Command.EVAL, source, keys, args));
          }
          return Future.failedFuture(err);
        });
  }

  private static Request request(Command cmd, String script, List<String> keys, List<?> args) {
    Request req = Request.cmd(cmd).arg(script).arg(keys.size());
    for (String k : keys) {
      req.arg(k);
    }
    for (Object a : args) {
      req.arg(String.valueOf(a));
    }
    return req;
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
