package dev.faultline.benchmarks.replay;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws mean detection time against mistake rate, one chart per trace: a curve per swept
 * detector family and a point per single configuration. Both axes are logarithmic; a
 * mistake rate of 0, which a logarithm cannot show, is drawn at {@link #ZERO_FLOOR} for
 * single configurations and a little to its left for each swept family, so that
 * families without mistakes do not hide each other.
 */
final class DetectionChart {

	/** Where a λ_M of 0 is drawn: ten times below one mistake in the 10 hours watched. */
	static final double ZERO_FLOOR = 0.01;

	// the ratio between the λ_M = 0 columns of two neighbouring families
	private static final double ZERO_SPREAD = 1.25;

	private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

	// curves as lines, single configurations as large markers without lines
	private static final Map<String, Look> LOOKS = Map.ofEntries(
			Map.entry(DetectionReplay.PHI, new Look(new Color(0, 114, 178), SeriesMarkers.CIRCLE, SeriesLines.SOLID)),
			Map.entry(DetectionReplay.PHI_NARROW,
					new Look(new Color(86, 180, 233), SeriesMarkers.CIRCLE, SeriesLines.DASH_DASH)),
			Map.entry(DetectionReplay.FIXED, new Look(new Color(213, 94, 0), SeriesMarkers.SQUARE, SeriesLines.SOLID)),
			Map.entry(DetectionReplay.DEFAULT_PHI, new Look(new Color(0, 158, 115), SeriesMarkers.DIAMOND, null)),
			Map.entry(DetectionReplay.CLUSTER, new Look(new Color(204, 121, 167), SeriesMarkers.TRIANGLE_UP, null)),
			Map.entry(DetectionReplay.DEFAULT_FIXED,
					new Look(new Color(230, 159, 0), SeriesMarkers.TRIANGLE_DOWN, null)),
			Map.entry(DetectionReplay.HINDSIGHT, new Look(Color.BLACK, SeriesMarkers.CROSS, null)),
			Map.entry(DetectionReplay.ADAPTIVE, new Look(new Color(0, 90, 50), SeriesMarkers.DIAMOND, SeriesLines.SOLID)),
			Map.entry(DetectionReplay.DEFAULT_ADAPTIVE, new Look(new Color(200, 0, 0), SeriesMarkers.DIAMOND, null)));

	private DetectionChart() {
	}

	/**
	 * Writes {@code td-vs-lambda-<kind>.png} for every trace and {@code td-vs-lambda.png}
	 * with all of them side by side.
	 * @param traces the results by trace
	 * @param folder where to write
	 * @throws IOException if a file cannot be written
	 */
	static void write(List<TraceResults> traces, Path folder) throws IOException {
		for (TraceResults trace : traces) {
			BitmapEncoder.saveBitmap(chart(trace, 900, 620),
					folder.resolve("td-vs-lambda-" + trace.trace().kind()).toString(), BitmapFormat.PNG);
		}
		List<XYChart> charts = new ArrayList<>(traces.stream().map((trace) -> chart(trace, 800, 560)).toList());
		int columns = Math.min(2, charts.size());
		int rows = (charts.size() + columns - 1) / columns;
		while (charts.size() < rows * columns) {
			// the grid must be full: an empty panel where a trace is missing
			charts.add(new XYChartBuilder().width(800).height(560).title("").build());
		}
		BitmapEncoder.saveBitmap(charts, rows, columns,
				folder.resolve("td-vs-lambda").toString(), BitmapFormat.PNG);
	}

	private static XYChart chart(TraceResults trace, int width, int height) {
		XYChart chart = new XYChartBuilder().width(width)
			.height(height)
			.title(trace.trace().kind() + ": mean detection time against mistake rate")
			.xAxisTitle("λ_M, mistakes per hour (0 drawn at " + ZERO_FLOOR + " and just left of it)")
			.yAxisTitle("mean T_D, seconds")
			.build();
		XYStyler styler = chart.getStyler();
		styler.setXAxisLogarithmic(true);
		styler.setYAxisLogarithmic(true);
		styler.setXAxisMin(ZERO_FLOOR / 4);
		styler.setYAxisMin(0.2);
		styler.setYAxisMax(12.0);
		styler.setYAxisLogarithmicDecadeOnly(false);
		styler.setYAxisDecimalPattern("0.#");
		styler.setLegendPosition(LegendPosition.InsideNE);
		styler.setLegendFont(FONT.deriveFont(11f));
		styler.setLegendBackgroundColor(new Color(255, 255, 255, 215));
		styler.setAxisTickLabelsFont(FONT.deriveFont(11f));
		styler.setAxisTitleFont(FONT);
		styler.setChartTitleFont(FONT.deriveFont(Font.BOLD, 14f));
		styler.setMarkerSize(8);
		styler.setChartBackgroundColor(Color.WHITE);
		styler.setPlotGridLinesColor(new Color(225, 225, 225));
		List<String> families = trace.results().stream().map((result) -> result.policy().family()).distinct().toList();
		List<String> curves = families.stream().filter((family) -> trace.family(family).size() > 1).toList();
		for (String family : families) {
			// single configurations at the floor itself, curves to its left, none beyond it
			int curve = curves.indexOf(family);
			double zero = (curve < 0) ? ZERO_FLOOR : ZERO_FLOOR / Math.pow(ZERO_SPREAD, curves.size() - curve);
			List<ReplayResult> results = trace.family(family);
			double[] lambda = results.stream()
				.mapToDouble((result) -> (result.mistakes() > 0) ? result.mistakesPerHour() : zero)
				.toArray();
			double[] detection = results.stream().mapToDouble(ReplayResult::meanDetectionSeconds).toArray();
			XYSeries series = chart.addSeries(family, lambda, detection);
			Look look = LOOKS.getOrDefault(family, new Look(Color.GRAY, SeriesMarkers.CIRCLE, SeriesLines.DOT_DOT));
			series.setMarker(look.marker()).setMarkerColor(look.color());
			if (look.line() != null) {
				series.setLineColor(look.color()).setLineStyle(look.line());
			}
			else {
				series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
			}
		}
		return chart;
	}

	private record Look(Color color, Marker marker, BasicStroke line) {
	}

}
