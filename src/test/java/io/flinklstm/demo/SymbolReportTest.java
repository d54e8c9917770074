package io.flinklstm.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report of a symbol stream, on the log-key workload with hand-made scores. */
class SymbolReportTest {
  private static final LogKeyWorkload WORKLOAD =
      LogKeyWorkload.generate(
          new LogKeyWorkload.Settings(3, 1, 200, 200, 20, 0.3, 1_767_225_600_000L, null));
  private static final int SECOND_VERSION_FROM = 300;
  private static final String FALSE_ALERT_HOST = "web-01";
  private static final int FALSE_ALERT_AT = 100;

  @TempDir Path dir;

  /**
   * Version 1 up to each host's event 300, version 2 after; every label's first event flagged
   * (unknown verdict for an unknown log key, not in top g otherwise), and one false alert.
   */
  private static List<ScoreRecord> scores() {
    List<ScoreRecord> out = new ArrayList<>();
    Set<LogKeyLabel> flagged = new HashSet<>();
    for (SymbolTimeline t : WORKLOAD.timelines()) {
      for (int i = 0; i < t.length(); i++) {
        ScoreRecord r = new ScoreRecord();
        r.key = t.key();
        r.ts = t.timestamps()[i];
        r.symbol = t.symbols()[i];
        r.model = "log-keys";
        r.modelVersion = i < SECOND_VERSION_FROM ? 1 : 2;
        r.status = ScoreRecord.SCORED;
        r.surprise = 0.1;
        r.rank = 0;
        r.verdict = ScoreRecord.EXPECTED;
        LogKeyLabel label = WORKLOAD.labelOf(r.key, r.ts);
        if (label != null && flagged.add(label)) {
          r.anomaly = true;
          r.surprise = 6.0;
          r.verdict =
              label.kind() == LogKeyAnomaly.UNKNOWN
                  ? ScoreRecord.UNKNOWN
                  : ScoreRecord.NOT_IN_TOP_G;
        }
        if (r.key.equals(FALSE_ALERT_HOST) && i == FALSE_ALERT_AT) {
          r.anomaly = true;
          r.verdict = ScoreRecord.IMPROBABLE;
        }
        r.error = r.surprise;
        r.expected = new String[] {"open", "auth"};
        out.add(r);
      }
    }
    return out;
  }

  private static NodeList nodes(Document doc, String xpath) throws Exception {
    return (NodeList)
        XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
  }

  private static String text(Document doc, String xpath) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(xpath, doc).trim();
  }

  @Test
  void showsEveryHostsSymbolsFlagsByVerdictAnomaliesAndVersions() throws Exception {
    List<ScoreRecord> scores = scores();
    LogKeyDemoResult result =
        new LogKeyDemoResult(
            WORKLOAD,
            scores,
            List.of(1L, 2L),
            Duration.ofSeconds(30),
            new JobSummary(0.9999, "warm-up 20", "rewarm / buffer"),
            Map.of("seed", "3"));
    Path file = dir.resolve("report/index.html");
    result.writeReport(file);
    String html = Files.readString(file);
    Document doc =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));

    int labels = WORKLOAD.labels().size();
    DetectionMetrics m = result.metrics();
    assertThat(m.overall().found()).isEqualTo(labels);
    assertThat(m.falsePositiveRuns()).isEqualTo(1);
    assertThat(m.overall().meanDelayEvents()).isZero();
    assertThat(result.headline())
        .startsWith("found " + labels + " of " + labels + " anomalies")
        .contains("1 false alerts");
    assertThat(html).doesNotContainIgnoringCase("<script");
    assertThat(text(doc, "//div[@id='window-recall']/b")).isEqualTo("100%");
    for (LogKeyAnomaly kind : LogKeyAnomaly.values()) {
      long injected = WORKLOAD.labels().stream().filter(l -> l.kind() == kind).count();
      assertThat(text(doc, "//tr[@data-kind='" + kind.name() + "']/td[2]"))
          .isEqualTo(Long.toString(injected));
      assertThat(text(doc, "//tr[@data-kind='" + kind.name() + "']/td[3]"))
          .isEqualTo(Long.toString(injected));
    }

    assertThat(nodes(doc, "//section[@class='key']").getLength())
        .isEqualTo(WORKLOAD.hosts().size());
    for (SymbolTimeline t : WORKLOAD.timelines()) {
      String section = "//section[@id='key-" + t.key() + "']";
      assertThat(
              nodes(doc, section + "//*[local-name()='rect'][starts-with(@class,'tick')]")
                  .getLength())
          .isEqualTo(t.length());
      Set<String> symbols = new HashSet<>(List.of(t.symbols()));
      assertThat(nodes(doc, section + "//*[local-name()='text'][@class='sym']").getLength())
          .isEqualTo(symbols.size());
      List<LogKeyLabel> own =
          WORKLOAD.labels().stream().filter(l -> l.key().equals(t.key())).toList();
      NodeList windows = nodes(doc, section + "//*[local-name()='rect'][@class='window']");
      assertThat(windows.getLength()).isEqualTo(own.size());
      NodeList flags = nodes(doc, section + "//*[local-name()='circle'][@class='flag']");
      int falseAlerts = t.key().equals(FALSE_ALERT_HOST) ? 1 : 0;
      assertThat(flags.getLength()).isEqualTo(own.size() + falseAlerts);
      for (int i = 0; i < flags.getLength(); i++) {
        Element flag = (Element) flags.item(i);
        assertThat(flag.getAttribute("fill"))
            .isEqualTo(SymbolPanel.VERDICT_COLORS.get(flag.getAttribute("data-verdict")));
      }
      NodeList versions = nodes(doc, section + "//*[local-name()='line'][@class='version']");
      assertThat(versions.getLength()).isEqualTo(2);
      assertThat(((Element) versions.item(1)).getAttribute("data-version")).isEqualTo("2");
      // Under the panel, each flagged symbol with the symbols the model expected instead.
      NodeList listed = nodes(doc, section + "/table[@class='flags']/tr[td[3]]");
      assertThat(listed.getLength())
          .isEqualTo(Math.min(FlaggedEvents.MAX_ROWS, own.size() + falseAlerts));
      assertThat(text(doc, section + "/table[@class='flags']/tr[td[3]][1]/td[3]"))
          .endsWith(", expected open, auth");
    }
    assertThat(nodes(doc, "//*[@data-verdict='unknown']").getLength())
        .isEqualTo(
            (int)
                WORKLOAD.labels().stream().filter(l -> l.kind() == LogKeyAnomaly.UNKNOWN).count());

    List<String> csv = Files.readAllLines(dir.resolve("report/scores.csv"));
    assertThat(csv).hasSize(1 + WORKLOAD.events().size());
    assertThat(Files.readAllLines(dir.resolve("report/anomalies.csv"))).hasSize(1 + labels);
  }

  @Test
  void timelinesHoldEveryHostsEventsInOrder() {
    List<SymbolTimeline> timelines = WORKLOAD.timelines();
    assertThat(timelines).extracting(SymbolTimeline::key).isEqualTo(WORKLOAD.hosts());
    assertThat(timelines.stream().mapToInt(SymbolTimeline::length).sum())
        .isEqualTo(WORKLOAD.events().size());
    Event first = WORKLOAD.events().stream().filter(e -> e.key.equals("db-01")).findFirst().get();
    SymbolTimeline db = timelines.get(1);
    assertThat(db.timestamps()[0]).isEqualTo(first.ts);
    assertThat(db.symbols()[0]).isEqualTo(first.symbol);
  }
}
