package io.flinklstm.sidecar;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes model files to the models topic, one Kafka transaction per version, so a consumer
 * reading with {@code read_committed} sees a version whole or not at all.
 *
 * <p>Errors are sorted as the Kafka producer's contract asks: a fenced producer (another sidecar
 * took over the transactional id), an out-of-order sequence, refused credentials, a missing
 * authorisation or an unsupported broker are fatal, and {@link FatalPublishException} ends the
 * sidecar; any other {@link KafkaException} aborts the transaction, and the publish is retried with
 * exponential backoff until it succeeds or the sidecar stops.
 */
final class ModelPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelPublisher.class);

  private final Supplier<Producer<byte[], byte[]>> producers;
  private final String topic;
  private final Backoff backoff;
  private final Duration giveUpAfter;
  private Producer<byte[], byte[]> producer;

  /**
   * @param producers makes producers with a {@code transactional.id}; called again when a producer
   *     was left unusable by a failed transaction. This publisher owns and closes what it makes.
   */
  ModelPublisher(Supplier<Producer<byte[], byte[]>> producers, String topic, Backoff backoff) {
    this(producers, topic, backoff, null);
  }

  /**
   * @param giveUpAfter how long a publish retries before it fails with a {@link
   *     FatalPublishException}; null retries until it succeeds or the thread is interrupted
   */
  ModelPublisher(
      Supplier<Producer<byte[], byte[]>> producers,
      String topic,
      Backoff backoff,
      Duration giveUpAfter) {
    this.producers = producers;
    this.topic = topic;
    this.backoff = backoff;
    this.giveUpAfter = giveUpAfter;
  }

  /**
   * Writes the file under the model's name and returns once the transaction committed.
   *
   * @throws FatalPublishException when the producer can no longer be used
   * @throws InterruptedException when the sidecar is stopping
   */
  void publish(String name, byte[] file) throws InterruptedException {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      try {
        if (producer == null) {
          producer = producers.get();
          producer.initTransactions();
        }
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, name.getBytes(StandardCharsets.UTF_8), file));
        producer.commitTransaction();
        return;
      } catch (ProducerFencedException
          | OutOfOrderSequenceException
          | AuthenticationException
          | AuthorizationException
          | UnsupportedVersionException e) {
        throw fatal(e);
      } catch (KafkaException e) {
        abortQuietly();
        Duration wait = backoff.delay(attempt);
        if (giveUpAfter != null
            && System.nanoTime() - started + wait.toNanos() > giveUpAfter.toNanos()) {
          throw new FatalPublishException(
              "cannot publish to '"
                  + topic
                  + "' within "
                  + giveUpAfter.toSeconds()
                  + " s ("
                  + attempt
                  + " attempts): "
                  + e.getMessage(),
              e);
        }
        LOG.warn(
            "publishing model '{}' to '{}' failed (attempt {}), retrying in {} ms: {}",
            name,
            topic,
            attempt,
            wait.toMillis(),
            e.toString());
        Thread.sleep(wait.toMillis());
      }
    }
  }

  /**
   * Makes the producer and registers its transactional id now, so that refused credentials or a
   * missing authorisation end the sidecar when it starts rather than at its first publish. Any
   * other error leaves that to the first publish, which retries.
   *
   * @throws FatalPublishException when Kafka refuses the credentials or the transactional id
   */
  void prepare() {
    if (producer != null) {
      return;
    }
    try {
      producer = producers.get();
      producer.initTransactions();
    } catch (AuthenticationException | AuthorizationException e) {
      close();
      throw fatal(e);
    } catch (KafkaException e) {
      close();
      LOG.warn(
          "cannot register the transactional producer yet, will at the first publish: {}",
          e.toString());
    }
  }

  private FatalPublishException fatal(KafkaException e) {
    return new FatalPublishException("cannot publish to '" + topic + "': " + e.getMessage(), e);
  }

  private void abortQuietly() {
    if (producer == null) {
      return;
    }
    try {
      producer.abortTransaction();
    } catch (KafkaException e) {
      // Nothing was committed; start over with a fresh producer, which fences the old one.
      LOG.debug("abort after a failed publish also failed; replacing the producer", e);
      close();
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  /** A publishing error no retry can mend. */
  public static final class FatalPublishException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FatalPublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
