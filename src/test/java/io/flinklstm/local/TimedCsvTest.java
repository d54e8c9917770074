package io.flinklstm.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimedCsvTest {
  private static final long APRIL_FIRST_2014 = 1_396_310_400_000L;
  private static final long FIVE_MINUTES = 300_000L;

  @TempDir Path dir;

  @Test
  void readsNabFilesWithTheirRelativePathAsKey() throws IOException {
    write(
        "realTraffic/speed_7578.csv",
        "timestamp,value",
        "2014-04-01 00:00:00,12.5",
        "2014-04-01 00:05:00,13",
        "",
        "2014-04-01 00:10:00,-1.25");
    write("artificial/flat.csv", "timestamp,value", "2014-04-01 00:00:00,3");

    List<TimedSeries> series = TimedCsv.readFolder(dir);

    assertThat(series)
        .extracting(TimedSeries::key)
        .containsExactly("artificial/flat", "realTraffic/speed_7578");
    TimedSeries speed = series.get(1);
    assertThat(speed.columns()).containsExactly("value");
    assertThat(speed.times())
        .containsExactly(
            APRIL_FIRST_2014, APRIL_FIRST_2014 + FIVE_MINUTES, APRIL_FIRST_2014 + 2 * FIVE_MINUTES);
    assertThat(speed.values()).isDeepEqualTo(new float[][] {{12.5f}, {13f}, {-1.25f}});
  }

  @Test
  void readsMultivariateFilesAndEveryTimeForm() throws IOException {
    write(
        "m.csv",
        "ts,cpu,mem",
        "2014-04-01T00:00:00Z,1,2",
        "1396310400001,3,4",
        "2014-04-01 00:00:00.002000,5,6");

    TimedSeries s = TimedCsv.readFolder(dir).get(0);

    assertThat(s.key()).isEqualTo("m");
    assertThat(s.columns()).containsExactly("cpu", "mem");
    assertThat(s.times())
        .containsExactly(APRIL_FIRST_2014, APRIL_FIRST_2014 + 1, APRIL_FIRST_2014 + 2);
    assertThat(s.values()[2]).containsExactly(5f, 6f);
  }

  @Test
  void keepsRowsInFileOrderWhenTimeGoesBack() throws IOException {
    write("a.csv", "timestamp,value", "2014-04-01 00:05:00,1", "2014-04-01 00:00:00,2");

    TimedSeries s = TimedCsv.readFolder(dir).get(0);

    assertThat(s.times()).containsExactly(APRIL_FIRST_2014 + FIVE_MINUTES, APRIL_FIRST_2014);
    assertThat(s.monotoneTimes())
        .containsExactly(APRIL_FIRST_2014 + FIVE_MINUTES, APRIL_FIRST_2014 + FIVE_MINUTES);
  }

  @Test
  void refusesBadTimesAndValuesNamingFileAndLine() throws IOException {
    write("t.csv", "timestamp,value", "yesterday,1");
    assertThatThrownBy(() -> TimedCsv.readFolder(dir))
        .hasMessageContaining("t.csv, line 2")
        .hasMessageContaining("time 'yesterday'");
    Files.delete(dir.resolve("t.csv"));
    write("v.csv", "timestamp,value", "2014-04-01 00:00:00,NaN");
    assertThatThrownBy(() -> TimedCsv.readFolder(dir))
        .hasMessageContaining("v.csv, line 2")
        .hasMessageContaining("column 2 is 'NaN', not a finite number");
    Files.delete(dir.resolve("v.csv"));
    write("w.csv", "timestamp,value", "2014-04-01 00:00:00,1,2");
    assertThatThrownBy(() -> TimedCsv.readFolder(dir)).hasMessageContaining("3 cells, expected 2");
  }

  @Test
  void refusesFoldersOfMixedWidthsAndEmptyFolders() throws IOException {
    assertThatThrownBy(() -> TimedCsv.readFolder(dir)).hasMessageContaining("no .csv file");
    write("a.csv", "timestamp,value", "2014-04-01 00:00:00,1");
    write("b.csv", "timestamp,x,y", "2014-04-01 00:00:00,1,2");
    assertThatThrownBy(() -> TimedCsv.readFolder(dir))
        .hasMessageContaining("has 2 value columns but a has 1");
  }

  private void write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, List.of(lines));
  }
}
