package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.delay(1000)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("initial must be positive");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("max at least initial");
  }
}
