package io.flinklstm.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flinklstm.testutil.FuzzContract;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the NumPy reader: every input is read as one {@code .npy} array by
 * {@link NpyReader#read}, and an input that starts like a zip archive ({@code PK}) is also loaded
 * as an {@code .npz} archive by {@link WeightArrays#load}, from a file as the importers do.
 *
 * <p>The contract: an {@link IOException} is the refusal; any other exception or error is a
 * finding, and so is a reading allocating beyond {@link FuzzContract}'s bound or taking longer than
 * the timeout. For an archive the bound's input is the bytes its entries inflate to (counted here
 * separately), since deflate lets a small archive hold up to about 1,000 times its size: what the
 * reader must not do is allocate for sizes that no entry's bytes back. A float array that reads
 * must have as many values as its shape says.
 *
 * <p>The committed inputs, in {@code NpyReaderFuzzTestInputs/read/}: {@code .npy} arrays as NumPy
 * writes them (float32 and float64, either byte order, C and Fortran order, format versions 1 to 3,
 * an int64 and a float16 array, a scalar and an empty array), written with {@link NpyBytes};
 * archives of them, stored and deflated; and {@code normalization.npz} from the PyTorch fixtures,
 * written by NumPy itself.
 */
class NpyReaderFuzzTest {
  private static final FuzzContract CONTRACT = new FuzzContract("NpyReaderFuzzTest.read");
  private static final Path ARCHIVE = archiveFile();

  /** How far the inflated size of an archive is counted; the bound is loose enough beyond. */
  private static final long COUNT_LIMIT = 64L << 20;

  @FuzzTest
  @Timeout(value = 5, unit = TimeUnit.SECONDS)
  void read(byte[] bytes) throws Exception {
    boolean accepted =
        CONTRACT.within(
            bytes.length,
            () -> {
              try {
                holdsItsShape(NpyReader.read("a", new ByteArrayInputStream(bytes)));
                return true;
              } catch (IOException refused) {
                return false;
              }
            });
    if (bytes.length >= 2 && bytes[0] == 'P' && bytes[1] == 'K') {
      Files.write(ARCHIVE, bytes);
      accepted |=
          CONTRACT.within(
              bytes.length + inflatedBytes(ARCHIVE),
              () -> {
                try {
                  WeightArrays arrays = WeightArrays.load(ARCHIVE);
                  for (String name : arrays.names()) {
                    holdsItsShape(arrays.get(name));
                  }
                  return true;
                } catch (IOException refused) {
                  return false;
                }
              });
    }
    CONTRACT.count(accepted);
  }

  private static void holdsItsShape(NpyArray a) {
    assertThat(a.dtypeString()).isNotNull();
    assertThat(a.shapeString()).isNotNull();
    if (a.isFloat()) {
      long count = 1;
      for (int d : a.shape()) {
        count *= d;
      }
      assertThat(a.values()).hasSize((int) count);
    }
  }

  /** What the archive's entries inflate to, as far as they can be read, up to the count limit. */
  private static long inflatedBytes(Path file) {
    long total = 0;
    byte[] buffer = new byte[8192];
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements() && total < COUNT_LIMIT) {
        try (InputStream in = zip.getInputStream(entries.nextElement())) {
          for (int n; (n = in.read(buffer)) > 0 && total < COUNT_LIMIT; ) {
            total += n;
          }
        } catch (IOException | RuntimeException unreadable) {
          // The reader stops here too.
        }
      }
    } catch (IOException | RuntimeException notAnArchive) {
      // Nothing inflates.
    }
    return total;
  }

  private static Path archiveFile() {
    try {
      Path file = Files.createTempFile("npy-reader-fuzz-", ".npz");
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void report() {
    CONTRACT.report();
  }
}
