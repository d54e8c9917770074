package io.flinklstm.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolSampleTest {
  @Test
  void withoutMarksEachKeyIsOneStreamInArrivalOrder() {
    SymbolSample sample = new SymbolSample(4, 100);
    append(sample, "b", "x", "y");
    append(sample, "a", "open", "read", "read", "close", "open");
    assertThat(sample.snapshot())
        .containsExactly(List.of("read", "read", "close", "open"), List.of("x", "y"));
  }

  @Test
  void aConfirmedOrFlaggedSymbolIsCutOutOfItsStreamAndAFalsePositiveIsNot() {
    SymbolSample sample = new SymbolSample(100, 1000);
    sample.markVerdict("k", 2, true); // before the symbol arrives
    append(sample, "k", "s0", "s1", "BAD", "s3", "s4", "s5", "s6", "s7", "s8", "s9");
    sample.markFlagged("k", 5);
    sample.markVerdict("k", 5, false); // the job's flag was false
    sample.markVerdict("k", 7, false);
    sample.markFlagged("k", 7); // a flag read after its verdict
    sample.markFlagged("k", 8);
    // After s8 only s9 is left: a run of one symbol teaches nothing and is left out.
    assertThat(sample.snapshot())
        .containsExactly(List.of("s0", "s1"), List.of("s3", "s4", "s5", "s6", "s7"));
  }

  /** Appends the symbols to the key at times 0, 1, 2, ... */
  private static void append(SymbolSample sample, String key, String... symbols) {
    for (int i = 0; i < symbols.length; i++) {
      sample.append(key, i, symbols[i]);
    }
  }
}
