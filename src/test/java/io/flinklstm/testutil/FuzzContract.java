package io.flinklstm.testutil;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every fuzz target checks besides "no exception but the documented refusal", and the counts
 * it reports.
 *
 * <p><b>The allocation bound.</b> A parser may allocate at most {@link #BYTES_PER_INPUT_BYTE} bytes
 * per byte of its input, plus {@link #SLACK_BYTES}, measured with the JVM's per-thread allocation
 * counter ({@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}) around the call.
 * The counter counts every object the call allocates on the heap, whether or not it is still live,
 * so an input that claims a large array and is refused only after the array was allocated fails
 * even when the heap could hold it. 64 is far above what a parser that sizes its arrays by the
 * bytes actually present needs (a JSON tree of tiny nodes, the worst case here, takes about 30
 * bytes per input byte), and far below what one that believes a length field costs: 30 bytes that
 * claim 2^26 floats ask for 256 MiB. The slack covers fixed costs: parser buffers, the 64 KiB a
 * modified-UTF-8 string may claim, a signature check.
 *
 * <p>That bound holds for the committed inputs, which run without Jazzer's instrumentation. While
 * Jazzer fuzzes ({@code JAZZER_FUZZ} set), the measured call also holds Jazzer's hooks, which hand
 * every failed string comparison to the fuzzer and allocate about 1.4 KiB each doing it; the event
 * parser compares a field name per field, one per 4 input bytes at most. The bound is then {@link
 * #BYTES_PER_INPUT_BYTE_FUZZING} per input byte, plus the slack: fuzz inputs are at most 4 KiB, so
 * 1 to 5 MiB, still far below what a believed length field asks for. An input found this way is
 * kept among the committed ones, where the tighter bound applies.
 *
 * <p>A measurement over the bound is repeated once and only the repetition counts, since the first
 * call on a path also allocates what the JVM needs once (classes, caches).
 */
public final class FuzzContract {
  public static final long BYTES_PER_INPUT_BYTE = 64;
  public static final long BYTES_PER_INPUT_BYTE_FUZZING = 1024;
  public static final long SLACK_BYTES = 1 << 20;

  /** Whether Jazzer is fuzzing rather than running the committed inputs. */
  private static final boolean FUZZING = !System.getenv().getOrDefault("JAZZER_FUZZ", "").isEmpty();

  private static final long PER_BYTE =
      FUZZING ? BYTES_PER_INPUT_BYTE_FUZZING : BYTES_PER_INPUT_BYTE;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final String target;
  private final AtomicLong inputs = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();

  /**
   * @param target the fuzz test, for the counts it reports
   */
  public FuzzContract(String target) {
    this.target = target;
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      throw new IllegalStateException("this JVM does not count the memory its threads allocate");
    }
  }

  /** A parser call; it returns whether the input was accepted and throws only on a finding. */
  @FunctionalInterface
  public interface Call {
    boolean accepted() throws Exception;
  }

  /**
   * Runs the call and fails with an {@link AssertionError} when it allocates more than the bound
   * for {@code inputBytes}.
   *
   * @return whether the call accepted the input
   */
  public boolean within(long inputBytes, Call call) throws Exception {
    long bound = PER_BYTE * inputBytes + SLACK_BYTES;
    long before = THREADS.getCurrentThreadAllocatedBytes();
    boolean ok = call.accepted();
    long used = THREADS.getCurrentThreadAllocatedBytes() - before;
    if (used > bound) {
      before = THREADS.getCurrentThreadAllocatedBytes();
      call.accepted();
      used = THREADS.getCurrentThreadAllocatedBytes() - before;
      if (used > bound) {
        throw new AssertionError(
            target
                + " allocated "
                + used
                + " bytes for an input of "
                + inputBytes
                + " bytes, more than the bound of "
                + bound
                + " ("
                + PER_BYTE
                + " per input byte + "
                + SLACK_BYTES
                + ")");
      }
    }
    return ok;
  }

  /** Counts one fuzz input, once per call of the fuzz test. */
  public void count(boolean wasAccepted) {
    inputs.incrementAndGet();
    if (wasAccepted) {
      accepted.incrementAndGet();
    }
  }

  /** Prints the counts, for scripts/fuzz.sh and the build log: one line, "fuzz-stats ...". */
  public void report() {
    long n = inputs.get();
    long ok = accepted.get();
    System.out.println(
        "fuzz-stats "
            + target
            + ": "
            + n
            + " inputs, "
            + ok
            + " accepted, "
            + (n - ok)
            + " refused");
  }
}
