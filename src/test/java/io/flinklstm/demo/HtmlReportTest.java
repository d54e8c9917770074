package io.flinklstm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.wire.ScoreRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  private static final DatasetConfig CONFIG =
      DatasetConfig.DEFAULTS.withKeys(3).withChannels(2).withEvents(1200, 500);
  private static final long TOLERANCE = 6 * CONFIG.step().toMillis();
  private static final int WARMING_UP = 100;
  private static final int SECOND_VERSION_FROM = 700;

  @TempDir Path dir;

  /**
   * Scores that predict each value exactly, flag the first event of every key's first anomaly and
   * one event far from any anomaly of the first key, with version 2 from event 700 on.
   */
  private static List<ScoreRecord> scores(SyntheticDataset data) {
    List<ScoreRecord> out = new ArrayList<>();
    for (KeySeries s : data.series()) {
      AnomalyWindow first =
          data.anomalies().stream().filter(w -> w.key().equals(s.key())).findFirst().orElseThrow();
      for (int i = 0; i < s.length(); i++) {
        ScoreRecord r = new ScoreRecord();
        r.key = s.key();
        r.ts = s.timestamps()[i];
        r.values = s.values()[i];
        r.prediction = s.values()[i].clone();
        r.likelihood = 0.5;
        r.warmingUp = i < WARMING_UP;
        r.anomaly = r.ts == first.startTs() || (s.key().equals("sensor-01") && i == 300);
        r.likelihood = r.anomaly ? 0.99999 : 0.5;
        if (r.anomaly) {
          // The last value moved: it holds 9 parts in 10 of the error.
          int last = r.values.length - 1;
          r.prediction[last] += 2;
          r.flaggedBy = new String[] {"likelihood"};
          r.contributions = new float[r.values.length];
          r.contributions[last] = 0.9f;
          r.contributions[0] += 0.1f;
          r.topChannel = last;
        }
        r.modelVersion = i < SECOND_VERSION_FROM ? 1 : 2;
        r.model = "default";
        r.status = ScoreRecord.SCORED;
        out.add(r);
      }
    }
    return out;
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  private static NodeList nodes(Document doc, String xpath) throws Exception {
    XPath x = XPathFactory.newInstance().newXPath();
    return (NodeList) x.evaluate(xpath, doc, XPathConstants.NODESET);
  }

  private static String text(Document doc, String xpath) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).trim();
  }

  private static RunSummary summary() {
    return new RunSummary(
        "demo report",
        Duration.ofSeconds(95),
        0.9995,
        TOLERANCE,
        List.of(1L, 2L),
        Map.of("seed", "42"));
  }

  @Test
  void theReportIsWellFormedSelfContainedAndShowsWhatTheDataSays() throws Exception {
    SyntheticDataset data = SyntheticDataset.generate(CONFIG);
    List<ScoreRecord> scores = scores(data);
    DetectionMetrics metrics =
        DetectionMetrics.evaluate(
            scores.stream()
                .map(s -> new ScorePoint(s.key, s.ts, s.anomaly, s.likelihood, s.modelVersion))
                .toList(),
            data.anomalies(),
            TOLERANCE);
    Path file = dir.resolve("out/index.html");
    new HtmlReport(data.series(), data.anomalies(), scores, metrics, summary()).write(file);
    String html = Files.readString(file);
    Document doc = parse(html);

    assertThat(html).doesNotContainIgnoringCase("<script").doesNotContain("http://www.example");
    assertThat(nodes(doc, "//*[@src]").getLength()).isZero();
    assertThat(nodes(doc, "//link").getLength()).isZero();
    assertThat(text(doc, "/html/head/title")).isEqualTo("demo report");

    // The headline figures: the first anomaly of each of 3 keys found, one false alert.
    int windows = data.anomalies().size();
    assertThat(metrics.overall().found()).isEqualTo(3);
    assertThat(metrics.falsePositiveRuns()).isEqualTo(1);
    assertThat(text(doc, "//div[@id='window-recall']/b"))
        .isEqualTo(Math.round(100.0 * 3 / windows) + "%");
    assertThat(text(doc, "//div[@id='window-precision']/b")).isEqualTo("75%");
    assertThat(text(doc, "//div[@id='false-alerts']/b")).isEqualTo("1");
    for (AnomalyKind kind : AnomalyKind.values()) {
      Tally t = metrics.byKind().get(kind);
      assertThat(text(doc, "//tr[@data-kind='" + kind.name() + "']/td[2]"))
          .isEqualTo(Integer.toString(t.windows()));
      assertThat(text(doc, "//tr[@data-kind='" + kind.name() + "']/td[3]"))
          .isEqualTo(Integer.toString(t.found()));
    }
    assertThat(text(doc, "//tr[@data-kind='ALL']/td[2]")).isEqualTo(Integer.toString(windows));
    assertThat(html).contains("v1, v2").contains("1:35");

    NodeList sections = nodes(doc, "//section[@class='key']");
    assertThat(sections.getLength()).isEqualTo(3);
    for (KeySeries s : data.series()) {
      String section = "//section[@id='key-" + s.key() + "']";
      List<AnomalyWindow> labels =
          data.anomalies().stream().filter(w -> w.key().equals(s.key())).toList();
      NodeList rects = nodes(doc, section + "//*[local-name()='rect'][@class='window']");
      assertThat(rects.getLength()).isEqualTo(labels.size());
      for (int i = 0; i < labels.size(); i++) {
        assertThat(((Element) rects.item(i)).getAttribute("data-kind"))
            .isEqualTo(labels.get(i).kind().name());
      }
      assertThat(nodes(doc, section + "//*[local-name()='polyline'][@class='series']").getLength())
          .isEqualTo(CONFIG.channels());
      assertThat(
              nodes(doc, section + "//*[local-name()='polyline'][@class='prediction']").getLength())
          .isEqualTo(CONFIG.channels());
      NodeList versions = nodes(doc, section + "//*[local-name()='line'][@class='version']");
      assertThat(versions.getLength()).isEqualTo(2);
      assertThat(((Element) versions.item(1)).getAttribute("data-version")).isEqualTo("2");
      assertThat(nodes(doc, section + "//*[local-name()='line'][@class='threshold']").getLength())
          .isEqualTo(1);
      assertThat(nodes(doc, section + "//*[local-name()='rect'][@class='warmup']").getLength())
          .isEqualTo(1);
      int flags = s.key().equals("sensor-01") ? 2 : 1;
      assertThat(nodes(doc, section + "//*[local-name()='circle'][@class='flag']").getLength())
          .isEqualTo(flags);
      // Each flagged event listed under the panel with what raised it and what moved.
      NodeList rows = nodes(doc, section + "/table[@class='flags']/tr[td]");
      assertThat(rows.getLength()).isEqualTo(flags);
      String why = text(doc, section + "/table[@class='flags']/tr[td][1]/td[3]");
      assertThat(text(doc, section + "/table[@class='flags']/tr[td][1]/td[2]"))
          .isEqualTo("likelihood");
      assertThat(why)
          .startsWith("value " + CONFIG.channels() + " at ")
          .endsWith("(90% of the error)");
    }
  }

  @Test
  void longSeriesAreDownsampledKeepingTheirExtremes() throws Exception {
    int n = 20 * SvgPlot.MAX_POINTS;
    long[] ts = new long[n];
    float[][] values = new float[n][1];
    for (int i = 0; i < n; i++) {
      ts[i] = i * 60_000L;
      values[i][0] = (float) Math.sin(i / 50.0);
    }
    values[n / 2 + 3][0] = 40; // a one-event spike far above the rest
    KeySeries s = new KeySeries("long", ts, values);
    DetectionMetrics metrics = DetectionMetrics.evaluate(List.of(), List.of(), 0);
    String html = new HtmlReport(List.of(s), List.of(), List.of(), metrics, summary()).render();
    Document doc = parse(html);
    String points =
        ((Element) nodes(doc, "//*[local-name()='polyline'][@class='series']").item(0))
            .getAttribute("points");
    String[] pairs = points.split(" ");
    assertThat(pairs.length).isLessThanOrEqualTo(2 * SvgPlot.MAX_POINTS);
    double top = Double.MAX_VALUE;
    for (String p : pairs) {
      top = Math.min(top, Double.parseDouble(p.split(",")[1]));
    }
    // The spike is the channel's maximum, drawn at the panel's top edge (y = 4).
    assertThat(top).isEqualTo(4.0);
  }

  @Test
  void textFromTheDataIsEscaped() throws Exception {
    KeySeries s = new KeySeries("a<b&\"c\"", new long[] {0, 60_000}, new float[][] {{1}, {2}});
    DetectionMetrics metrics = DetectionMetrics.evaluate(List.of(), List.of(), 0);
    RunSummary run =
        new RunSummary("<demo> & co", Duration.ZERO, 0.9, 0, List.of(), Map.of("x<y", "1&2"));
    Document doc = parse(new HtmlReport(List.of(s), List.of(), List.of(), metrics, run).render());
    assertThat(text(doc, "/html/head/title")).isEqualTo("<demo> & co");
    assertThat(text(doc, "//section/h2")).isEqualTo("a<b&\"c\"");
    assertThat(text(doc, "//td[.='x<y']/following-sibling::td[1]")).isEqualTo("1&2");
  }
}
