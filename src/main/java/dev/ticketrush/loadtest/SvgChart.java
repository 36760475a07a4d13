package dev.ticketrush.loadtest;

import java.util.List;
import java.util.Locale;

/** Hand-written SVG: a line chart (values over seconds) and a bar chart (a distribution). No charting library. */
final class SvgChart {
  static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#17becf"};
  private static final int W = 760;
  private static final int H = 360;
  private static final int L = 70;
  private static final int R = 150;
  private static final int T = 40;
  private static final int B = 50;

  record Series(String name, double[] x, double[] y) {
  }

  private SvgChart() {
  }

  static String lineChart(String title, String xLabel, String yLabel, List<Series> series) {
    double maxX = 1;
    double maxY = 0;
    for (Series s : series) {
      for (double v : s.x) {
        maxX = Math.max(maxX, v);
      }
      for (double v : s.y) {
        maxY = Math.max(maxY, v);
      }
    }
    maxY = niceCeil(maxY);
    maxX = Math.ceil(maxX / 5) * 5;
    StringBuilder sb = header(title);
    axes(sb, xLabel, yLabel, maxX, maxY, false);
    int i = 0;
    for (Series s : series) {
      String color = COLORS[i % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (int k = 0; k < s.x.length; k++) {
        pts.append(f(px(s.x[k], maxX))).append(',').append(f(py(s.y[k], maxY))).append(' ');
      }
      sb.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\" points=\"")
          .append(pts.toString().trim()).append("\"/>\n");
      int ly = T + 10 + i * 20;
      sb.append("<line x1=\"").append(W - R + 15).append("\" y1=\"").append(ly).append("\" x2=\"").append(W - R + 35)
          .append("\" y2=\"").append(ly).append("\" stroke=\"").append(color).append("\" stroke-width=\"3\"/>")
          .append("<text x=\"").append(W - R + 40).append("\" y=\"").append(ly + 4).append("\" font-size=\"12\">")
          .append(esc(s.name)).append("</text>\n");
      i++;
    }
    return sb.append("</svg>\n").toString();
  }

  static String barChart(String title, String xLabel, String yLabel, List<String> labels, List<Long> counts) {
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    double maxY = niceCeil(max);
    StringBuilder sb = header(title);
    axes(sb, xLabel, yLabel, 0, maxY, true);
    int n = Math.max(1, labels.size());
    double slot = (W - L - R) / (double) n;
    for (int i = 0; i < labels.size(); i++) {
      double x = L + i * slot + slot * 0.1;
      double y = py(counts.get(i), maxY);
      sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"").append(f(slot * 0.8))
          .append("\" height=\"").append(f(H - B - y)).append("\" fill=\"").append(COLORS[0]).append("\"><title>")
          .append(esc(labels.get(i))).append(": ").append(counts.get(i)).append("</title></rect>\n");
      sb.append("<text x=\"").append(f(x + slot * 0.4)).append("\" y=\"").append(H - B + 14)
          .append("\" font-size=\"10\" text-anchor=\"middle\">").append(esc(labels.get(i))).append("</text>\n");
      if (counts.get(i) > 0) {
        sb.append("<text x=\"").append(f(x + slot * 0.4)).append("\" y=\"").append(f(y - 3))
            .append("\" font-size=\"9\" text-anchor=\"middle\">").append(counts.get(i)).append("</text>\n");
      }
    }
    return sb.append("</svg>\n").toString();
  }

  private static StringBuilder header(String title) {
    StringBuilder sb = new StringBuilder();
    sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W).append("\" height=\"").append(H)
        .append("\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" font-family=\"sans-serif\">\n")
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append("<text x=\"").append(W / 2).append("\" y=\"22\" font-size=\"15\" text-anchor=\"middle\" font-weight=\"bold\">")
        .append(esc(title)).append("</text>\n");
    return sb;
  }

  private static void axes(StringBuilder sb, String xLabel, String yLabel, double maxX, double maxY, boolean categorical) {
    sb.append("<line x1=\"").append(L).append("\" y1=\"").append(H - B).append("\" x2=\"").append(W - R).append("\" y2=\"")
        .append(H - B).append("\" stroke=\"black\"/>\n");
    sb.append("<line x1=\"").append(L).append("\" y1=\"").append(T).append("\" x2=\"").append(L).append("\" y2=\"")
        .append(H - B).append("\" stroke=\"black\"/>\n");
    for (int k = 0; k <= 5; k++) {
      double v = maxY * k / 5;
      double y = py(v, maxY);
      sb.append("<line x1=\"").append(L).append("\" y1=\"").append(f(y)).append("\" x2=\"").append(W - R).append("\" y2=\"")
          .append(f(y)).append("\" stroke=\"#ddd\"/>")
          .append("<text x=\"").append(L - 6).append("\" y=\"").append(f(y + 4)).append("\" font-size=\"11\" text-anchor=\"end\">")
          .append(num(v)).append("</text>\n");
    }
    if (!categorical) {
      for (int k = 0; k <= 5; k++) {
        double v = maxX * k / 5;
        sb.append("<text x=\"").append(f(px(v, maxX))).append("\" y=\"").append(H - B + 16)
            .append("\" font-size=\"11\" text-anchor=\"middle\">").append(num(v)).append("</text>\n");
      }
    }
    sb.append("<text x=\"").append((L + W - R) / 2).append("\" y=\"").append(H - 12)
        .append("\" font-size=\"12\" text-anchor=\"middle\">").append(esc(xLabel)).append("</text>\n");
    sb.append("<text transform=\"translate(16 ").append((T + H - B) / 2).append(") rotate(-90)\" font-size=\"12\" text-anchor=\"middle\">")
        .append(esc(yLabel)).append("</text>\n");
  }

  private static double px(double x, double maxX) {
    return L + (W - L - R) * (x / maxX);
  }

  private static double py(double y, double maxY) {
    return H - B - (H - T - B) * (maxY <= 0 ? 0 : y / maxY);
  }

  static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (v <= m * p) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
