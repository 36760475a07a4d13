package dev.ticketrush.infra;

import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** TICKETRUSH_REDIS_MODE / _URL / _MASTER_NAME as the Redis clients see them. */
class RedisEndpointTest {
  @Test
  void standaloneIsTheDefault() {
    RedisEndpoint e = RedisEndpoint.of(null, "redis://127.0.0.1:6379", null);
    assertThat(e.mode()).isEqualTo(RedisEndpoint.Mode.STANDALONE);
    RedisOptions o = e.options();
    assertThat(o.getType()).isEqualTo(RedisClientType.STANDALONE);
    assertThat(o.getEndpoints()).containsExactly("redis://127.0.0.1:6379");
    assertThat(e.linkPoolSize()).isEqualTo(1);
  }

  @Test
  void clusterTakesEverySeed() {
    RedisEndpoint e = RedisEndpoint.of("Cluster", "redis://10.0.0.1:7000, redis://10.0.0.2:7000,,redis://10.0.0.3:7000", null);
    RedisOptions o = e.options();
    assertThat(o.getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(o.getEndpoints()).isEqualTo(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000", "redis://10.0.0.3:7000"));
    assertThat(e.cluster()).isTrue();
    assertThat(e.linkPoolSize()).isGreaterThan(1);
  }

  @Test
  void sentinelNamesTheMaster() {
    RedisOptions o = RedisEndpoint.of("sentinel", "redis://s1:26379,redis://s2:26379", "").options();
    assertThat(o.getType()).isEqualTo(RedisClientType.SENTINEL);
    assertThat(o.getMasterName()).isEqualTo("mymaster");
    assertThat(o.getRole()).isEqualTo(RedisRole.MASTER);
    assertThat(RedisEndpoint.of("sentinel", "redis://s1:26379", "sale").options().getMasterName()).isEqualTo("sale");
  }

  @Test
  void refusesWhatCannotWork() {
    assertThatThrownBy(() -> RedisEndpoint.of("replication", "redis://a:1", null))
        .hasMessageContaining("standalone, cluster or sentinel");
    assertThatThrownBy(() -> RedisEndpoint.of("standalone", "redis://a:1,redis://b:1", null))
        .hasMessageContaining("TICKETRUSH_REDIS_MODE");
  }

  @Test
  void logsNoPassword() {
    assertThat(RedisEndpoint.of("cluster", "redis://:secret@a:1,redis://u:pw@b:1", null).toString())
        .doesNotContain("secret").doesNotContain("pw");
  }
}
