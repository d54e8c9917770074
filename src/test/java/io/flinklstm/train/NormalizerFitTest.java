package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.Normalizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerFitTest {

  @Test
  void meanAndStdOfTheTrainingPartOnly() {
    // Steps 0..79 train (mean 39.5, population std √((80² − 1)/12)); 80..99 are held out.
    SequenceSet set = new SequenceSet(1, List.of(TrainFixtures.counting("a", 100)));
    TrainingData data = TrainingData.split(set, 10, 0, 0.2, 100);
    Normalizer n = NormalizerFit.fit(data, 1e-6);
    assertThat(n.mean()[0]).isCloseTo(39.5f, offset(1e-5f));
    assertThat(n.std()[0]).isCloseTo((float) Math.sqrt((80.0 * 80 - 1) / 12), offset(1e-4f));
  }

  @Test
  void aConstantFeatureGetsTheFloor() {
    float[] values = new float[2 * 50];
    for (int t = 0; t < 50; t++) {
      values[2 * t] = 1000f;
      values[2 * t + 1] = t % 2;
    }
    SequenceSet set = new SequenceSet(2, List.of(new Series("a", 2, values)));
    Normalizer n = NormalizerFit.fit(TrainingData.split(set, 5, 0, 0, 10), 1e-6);
    assertThat(n.std()[0]).isEqualTo(1000f * 1e-6f);
    assertThat(n.std()[1]).isCloseTo(0.5f, offset(1e-6f));
  }
}
