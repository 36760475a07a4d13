package dev.ticketrush.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {

  @Test
  void userInfoIsMasked() {
    assertThat(Secrets.mask("postgresql://ticket:s3cret@db.internal:5432/rush"))
        .isEqualTo("postgresql://***@db.internal:5432/rush");
    assertThat(Secrets.mask("redis://:s3cret@127.0.0.1:6379")).isEqualTo("redis://***@127.0.0.1:6379");
    assertThat(Secrets.mask("rediss://default:p/a@ss@cache:6380/0")).isEqualTo("rediss://***@cache:6380/0");
  }

  @Test
  void passwordParametersAreMasked() {
    assertThat(Secrets.mask("jdbc:postgresql://db:5432/rush?user=ticket&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/rush?user=ticket&password=***&ssl=true");
    assertThat(Secrets.mask("postgresql://db/rush?PASSWORD=s3cret")).isEqualTo("postgresql://db/rush?PASSWORD=***");
  }

  @Test
  void everyUrlOfAListIsMasked() {
    assertThat(Secrets.mask("redis://:a@h1:6379,redis://:b@h2:6379")).isEqualTo("redis://***@h1:6379,redis://***@h2:6379");
  }

  @Test
  void urlsWithoutCredentialsAreUnchanged() {
    assertThat(Secrets.mask("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
    assertThat(Secrets.mask(null)).isNull();
  }
}
