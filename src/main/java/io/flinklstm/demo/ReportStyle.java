package io.flinklstm.demo;

/** The report's stylesheet, inline in the page. */
final class ReportStyle {
  static final String CSS =
      """
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
             margin: 24px auto; max-width: 1140px; color: #222; background: #fafafa; }
      h1 { font-size: 24px; margin: 0 0 4px; }
      h2 { font-size: 17px; margin: 0 0 6px; }
      .lead { color: #555; margin: 0 0 16px; }
      .cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
      .card { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px; padding: 10px 16px;
              min-width: 130px; }
      .card b { display: block; font-size: 22px; }
      .card span { color: #666; font-size: 12px; }
      table { border-collapse: collapse; background: #fff; margin: 0 16px 16px 0; }
      th, td { border: 1px solid #e3e3e3; padding: 4px 10px; text-align: right; }
      th { background: #f2f2f2; font-weight: 600; }
      td.l, th.l { text-align: left; }
      .tables { display: flex; flex-wrap: wrap; align-items: flex-start; }
      table.run { width: 100%; margin-right: 0; }
      table.run td.k { color: #666; }
      table.flags { margin: 6px 0 0; font-size: 12px; }
      table.flags td { text-align: left; }
      .note { color: #666; font-size: 12px; margin: -6px 0 12px; }
      .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
                margin-right: 6px; }
      nav.keys { margin: 8px 0 18px; line-height: 2; }
      nav.keys a { white-space: nowrap; display: inline-block; line-height: 1.6; text-decoration: none; padding: 2px 8px; border-radius: 10px; margin-right: 2px;
                   color: #222; border: 1px solid #ddd; background: #fff; }
      nav.keys a.all { border-color: #54a24b; }
      nav.keys a.some { border-color: #f58518; }
      nav.keys a.none { border-color: #e45756; }
      section.key { background: #fff; border: 1px solid #e3e3e3; border-radius: 8px;
                    padding: 12px 14px; margin-bottom: 16px; }
      section.key .meta { color: #666; font-size: 12px; margin-bottom: 4px; }
      svg text { font: 11px system-ui, sans-serif; fill: #555; }
      svg .label { font-weight: 600; }
      svg text.sym { font-size: 9px; }
      .legend { color: #555; font-size: 12px; margin: 0 0 8px; }
      .legend i { display: inline-block; width: 18px; height: 0; vertical-align: middle;
                  margin: 0 5px 0 12px; border-top: 2px solid #333; }
      .legend i.pred { border-top: 3px solid rgba(245, 133, 24, 0.6); }
      .legend i.thr { border-top: 1px dashed #d62728; }
      .legend i.ver { border-top: 1px dotted #888; }
      .legend i.warm { height: 10px; border: none; background: #ececec; }
      .legend i.tick { width: 2px; height: 9px; border: none; background: #4a4a4a; }
      .legend i.flag { width: 6px; height: 6px; border: none; border-radius: 3px;
                       background: #d62728; }
      footer { color: #777; font-size: 12px; margin-top: 24px; }
      """;

  private ReportStyle() {}
}
