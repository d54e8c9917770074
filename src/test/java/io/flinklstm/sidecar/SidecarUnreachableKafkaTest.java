package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.wire.KafkaClientProperties;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With no broker to talk to, the sidecar waits and retries with backoff instead of failing. */
class SidecarUnreachableKafkaTest {
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);

  @TempDir Path stateDir;

  @Test
  void keepsRetryingWhileKafkaIsUnreachableAndStopsWhenAsked() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    SidecarConfig config =
        new SidecarConfig(
            "127.0.0.1:" + closedPort,
            "events",
            "models",
            "group",
            "m",
            "m",
            stateDir,
            100,
            Duration.ZERO,
            1,
            "tx",
            null,
            SidecarConfig.DEFAULT_REBUILD_EVENTS,
            KafkaClientProperties.NONE,
            null);
    Learner idle =
        new Learner() {
          @Override
          public void observe(String key, long ts, float[] values) {}

          @Override
          public Round train(SequenceModel current) {
            throw new AssertionError("no round can be due without events");
          }
        };
    AtomicReference<Throwable> ended = new AtomicReference<>();
    Thread connecting =
        new Thread(
            () -> {
              try {
                Sidecar.connect(config, idle, null, REQUEST_TIMEOUT).close();
              } catch (Throwable t) {
                ended.set(t);
              }
            });
    connecting.start();
    // Several request timeouts and backoffs later it is still trying, and has not given up.
    connecting.join(4_000);
    assertThat(connecting.isAlive()).isTrue();
    assertThat(ended.get()).isNull();

    connecting.interrupt();
    connecting.join(10_000);
    assertThat(connecting.isAlive()).isFalse();
    assertThat(ended.get()).isInstanceOf(InterruptedException.class);
  }
}
