package io.flinklstm.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.kernel.Stepper;
import io.flinklstm.model.kernel.SteppersForTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Java forward pass against torch's own, over every step of the committed fixtures: both
 * importers, every kernel, and the stepper a model hands out.
 */
class TorchParityTest {

  static Stream<Arguments> casesAndFormats() {
    return TorchFixture.CASES.stream()
        .flatMap(c -> Stream.of(Arguments.of(c, "pytorch"), Arguments.of(c, "keras")));
  }

  @ParameterizedTest(name = "{0} via {1}")
  @MethodSource("casesAndFormats")
  void everyKernelMatchesTorch(String name, String format) throws IOException {
    TorchFixture fixture = TorchFixture.of(name);
    LstmModel model = "pytorch".equals(format) ? fixture.importPyTorch() : fixture.importKeras();

    for (Map.Entry<String, Stepper> e : SteppersForTest.all(model).entrySet()) {
      TorchFixture.Errors errors = fixture.run(e.getValue());
      assertThat(errors.steps).isGreaterThanOrEqualTo(1000);
      assertThat(errors.max()).as(e.getKey() + ": " + errors).isLessThan(TorchFixture.TOLERANCE);
    }
    TorchFixture.Errors errors = fixture.run(Stepper.of(model));
    assertThat(errors.max()).as("newStepper(): " + errors).isLessThan(TorchFixture.TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.flinklstm.importer.TorchFixture#cases")
  void bothLayoutsGiveTheSameModel(String name) throws IOException {
    TorchFixture fixture = TorchFixture.of(name);
    LstmModel fromTorch = fixture.importPyTorch();
    LstmModel fromKeras = fixture.importKeras();

    assertThat(fromKeras.layers()).hasSameSizeAs(fromTorch.layers());
    for (int l = 0; l < fromTorch.layers().size(); l++) {
      LstmLayer t = fromTorch.layers().get(l);
      LstmLayer k = fromKeras.layers().get(l);
      assertThat(k.inputWeights()).isDeepEqualTo(t.inputWeights());
      assertThat(k.recurrentWeights()).isDeepEqualTo(t.recurrentWeights());
      assertThat(k.bias()).containsExactly(t.bias());
    }
    assertThat(fromKeras.head().weights()).isDeepEqualTo(fromTorch.head().weights());
    assertThat(fromKeras.head().bias()).containsExactly(fromTorch.head().bias());
    assertThat(fromKeras.normalizer().mean()).containsExactly(fromTorch.normalizer().mean());
    assertThat(fromKeras.normalizer().std()).containsExactly(fromTorch.normalizer().std());
  }

  @Test
  void aDirectoryOfNpyFilesReadsLikeTheArchive(@TempDir Path tmp) throws IOException {
    TorchFixture fixture = TorchFixture.of(TorchFixture.TWO_LAYERS);
    unzip(fixture.kerasWeights(), tmp);
    assertThat(tmp.resolve("lstm_1/recurrent_kernel.npy")).exists();

    LstmModel model = fixture.importWith(new KerasImporter(), tmp);

    assertThat(fixture.run(Stepper.of(model)).max()).isLessThan(TorchFixture.TOLERANCE);
  }

  @Test
  void theFixturesExerciseTheReadersOptions() throws IOException {
    WeightArrays twoLayers =
        WeightArrays.load(TorchFixture.of(TorchFixture.TWO_LAYERS).kerasWeights());
    WeightArrays wide = WeightArrays.load(TorchFixture.of(TorchFixture.WIDE).kerasWeights());

    assertThat(TorchFixture.of(TorchFixture.WIDE).normalization()).isNull();
    assertThat(wide.names()).allSatisfy(n -> assertThat(wide.get(n).dtype()).isEqualTo("<f8"));
    assertThat(twoLayers.get("lstm_0/kernel").dtype()).isEqualTo("<f4");
  }

  private static void unzip(Path zip, Path dir) throws IOException {
    try (InputStream in = Files.newInputStream(zip);
        ZipInputStream entries = new ZipInputStream(in)) {
      for (ZipEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
        Path out = dir.resolve(e.getName());
        Files.createDirectories(out.getParent());
        Files.copy(entries, out);
      }
    }
  }
}
