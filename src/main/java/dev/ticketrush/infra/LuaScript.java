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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Lua script from {@code src/main/resources/lua/}, with the files it includes (see {@link #load}). Called with EVALSHA (the SHA-1 is computed here, so no
 * SCRIPT LOAD round trip); a {@code NOSCRIPT} answer, as after a Redis restart, falls back to EVAL, which also
 * caches the script again.
 */
public final class LuaScript {
  private static final Pattern INCLUDE = Pattern.compile("--\\s*include:\\s*(.+?)\\s*");
  private final String name;
  private final String source;
  private final String sha;

  private LuaScript(String name, String source) {
    this.name = name;
    this.source = source;
    this.sha = sha1(source);
  }

  /**
   * Loads {@code lua/NAME.lua} with what it includes. Redis has no include, so a script names the files whose
   * local functions it uses in its first comment lines ({@code -- include: clock, seat-common}), and each is
   * inlined before it, once, in the order named (an included file may include others).
   */
  public static LuaScript load(String name) {
    StringBuilder source = new StringBuilder();
    inline(name, source, new HashSet<>());
    return new LuaScript(name, source.toString());
  }

  private static void inline(String name, StringBuilder source, Set<String> done) {
    if (!done.add(name)) {
      return;
    }
    String text = read(name);
    for (String included : includes(text)) {
      inline(included, source, done);
    }
    source.append(text).append('\n');
  }

  /** The names on the {@code -- include:} lines of a script's opening comment lines. */
  static List<String> includes(String text) {
    List<String> names = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("--")) {
        break;
      }
      Matcher m = INCLUDE.matcher(line);
      if (m.matches()) {
        for (String n : m.group(1).split(",")) {
          names.add(n.trim());
        }
      }
    }
    return names;
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
