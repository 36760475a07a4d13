package dev.ticketrush.support;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Real {@code redis-server} processes on 127.0.0.1 (random free ports, a temporary folder, no persistence) for
 * the Redis Cluster and Sentinel tests: a 3-master + 3-replica cluster, or one master, one replica and three
 * sentinels. Every process is killed by {@link #close()} and, failing that, when the JVM exits. There is no
 * fallback: without {@code redis-server} on the PATH (or at /usr/bin) the tests fail with a message saying so.
 */
public final class RedisServers implements AutoCloseable {
  private static final List<Process> ALL = Collections.synchronizedList(new ArrayList<>());

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
  }

  private final Path dir;
  private final Map<Integer, Process> servers = new LinkedHashMap<>();

  private RedisServers() {
    try {
      this.dir = Files.createTempDirectory("ticketrush-redis-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Six cluster nodes, joined with {@code redis-cli --cluster create --cluster-replicas 1}; waits for state ok. */
  public static RedisServers cluster() {
    RedisServers s = new RedisServers();
    List<String> create = new ArrayList<>(List.of(tool("redis-cli"), "--cluster", "create"));
    for (int i = 0; i < 6; i++) {
      int port = TestNode.freePort();
      s.start(port, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
          "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0"));
      create.add("127.0.0.1:" + port);
    }
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    s.run(create);
    for (int port : s.servers.keySet()) {
      s.await("cluster ok on " + port, 20_000, () -> cli(port, "CLUSTER", "INFO").contains("cluster_state:ok"));
    }
    return s;
  }

  /** A master and its replica, plus three sentinels monitoring {@code masterName} with quorum 2. */
  public static RedisServers sentinel(String masterName) {
    return sentinel(masterName, port -> port);
  }

  /**
   * The same, with the sentinels told to monitor the master at {@code monitored.applyAsInt(masterPort)} (e.g. a
   * proxy in front of it): the sentinels, and every client that asks them, reach the master only that way.
   */
  public static RedisServers sentinel(String masterName, java.util.function.IntUnaryOperator monitored) {
    RedisServers s = new RedisServers();
    int master = TestNode.freePort();
    int replica = TestNode.freePort();
    s.start(master, List.of());
    int announced = monitored.applyAsInt(master);
    s.start(replica, List.of("--replicaof", "127.0.0.1", Integer.toString(master)));
    s.await("replica in sync", 20_000, () -> cli(replica, "INFO", "replication").contains("master_link_status:up"));
    for (int i = 0; i < 3; i++) {
      int port = TestNode.freePort();
      Path conf = s.dir.resolve("sentinel-" + port + ".conf");
      try {
        Files.writeString(conf, String.join("\n",
            "port " + port,
            "bind 127.0.0.1",
            "dir " + s.dir,
            "sentinel monitor " + masterName + " 127.0.0.1 " + announced + " 2",
            "sentinel down-after-milliseconds " + masterName + " 1000",
            "sentinel failover-timeout " + masterName + " 3000",
            "sentinel parallel-syncs " + masterName + " 1", ""));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      s.sentinels.add(port);
      s.launch(port, List.of(tool("redis-server"), conf.toString(), "--sentinel"));
    }
    for (int port : s.sentinels) {
      s.await("sentinel " + port + " sees the replica", 20_000,
          () -> cli(port, "SENTINEL", "REPLICAS", masterName).contains(Integer.toString(replica)));
    }
    return s;
  }

  private final List<Integer> sentinels = new ArrayList<>();

  /** The data servers (not the sentinels), in start order. */
  public List<Integer> ports() {
    List<Integer> out = new ArrayList<>(servers.keySet());
    out.removeAll(sentinels);
    return out;
  }

  public List<Integer> sentinelPorts() {
    return List.copyOf(sentinels);
  }

  /** Comma-separated {@code redis://} URLs: every data node (cluster) or every sentinel (sentinel). */
  public String urls() {
    List<Integer> ports = sentinels.isEmpty() ? ports() : sentinels;
    List<String> urls = new ArrayList<>();
    ports.forEach(p -> urls.add("redis://127.0.0.1:" + p));
    return String.join(",", urls);
  }

  /** The port of the live master serving a hash slot, from {@code CLUSTER NODES} of any live node. */
  public int masterOfSlot(int slot) {
    for (int port : ports()) {
      if (!servers.get(port).isAlive()) {
        continue;
      }
      for (String line : cli(port, "CLUSTER", "NODES").split("\n")) {
        String[] f = line.trim().split(" ");
        if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
          continue;
        }
        for (int i = 8; i < f.length; i++) {
          String[] range = f[i].split("-");
          if (range[0].startsWith("[")) {
            continue;
          }
          int lo = Integer.parseInt(range[0]);
          int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
          if (slot >= lo && slot <= hi) {
            return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
          }
        }
      }
      return -1;
    }
    throw new IllegalStateException("no live cluster node");
  }

  /** The master's port as the sentinels report it. */
  public int sentinelMaster(String masterName) {
    String[] lines = cli(sentinels.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).trim().split("\n");
    return Integer.parseInt(lines[lines.length - 1].trim());
  }

  /** SIGKILL, as a crashed machine: no shutdown, no last write. */
  public void kill(int port) {
    Process p = servers.get(port);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code redis-cli -p PORT args...}: the raw reply text. */
  public static String cli(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of(tool("redis-cli"), "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The hash slot of a key's tag, as Redis computes it (CRC16/XMODEM of the tag, mod 16384). */
  public static int slot(String tag) {
    int crc = 0;
    for (byte b : tag.getBytes(StandardCharsets.UTF_8)) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        crc &= 0xffff;
      }
    }
    return crc % 16384;
  }

  @Override
  public void close() {
    servers.values().forEach(Process::destroyForcibly);
    for (Process p : servers.values()) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ALL.remove(p);
    }
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }

  private void start(int port, List<String> extra) {
    List<String> cmd = new ArrayList<>(List.of(tool("redis-server"), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--appendonly", "no"));
    cmd.addAll(extra);
    launch(port, cmd);
    await("redis " + port + " answers", 10_000, () -> cli(port, "PING").contains("PONG"));
  }

  private void launch(int port, List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis-" + port + ".log").toFile()).start();
      ALL.add(p);
      servers.put(port, p);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + cmd.get(0), e);
    }
  }

  private void run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void await(String what, long timeoutMs, BooleanSupplier done) {
    if (!Await.until(done::getAsBoolean, ok -> ok, Duration.ofMillis(timeoutMs))) {
      close();
      throw new IllegalStateException("timed out waiting for " + what + " (logs in " + dir + ")");
    }
  }

  private static String tool(String name) {
    return SystemTools.redis(name);
  }
}
