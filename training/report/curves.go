package report

import (
	"fmt"
	"image/color"
	"io"

	"github.com/repack/repack/training"
	"github.com/repack/repack/training/metrics"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// CurvesTo writes a PNG with the held-out ROC curves (left) and the
// precision-recall curve (right) of one head. The ROC plot has a
// logarithmic false-positive axis, where a detector that must stay near
// 0.1% is judged, with the real authentic pages and the hard negatives
// drawn apart against the same positives; the threshold the models chose
// (their mean over the folds) is marked, and the region below one page in
// the real authentic set, where nothing was measured, is shaded.
func CurvesTo(w io.Writer, ds *training.Dataset, h training.HeadEval) error {
	rocPlot, err := logROC(ds, h)
	if err != nil {
		return err
	}
	scores := make([]float64, len(h.Predictions))
	pos := make([]bool, len(h.Predictions))
	for i, p := range h.Predictions {
		scores[i], pos[i] = p.Probability, p.Positive
	}
	pr := metrics.PR(scores, pos)
	prPlot, err := curvePlot(fmt.Sprintf("Precision-recall, %s (AP %.4f)", h.Kind, metrics.AveragePrecision(scores, pos)), "recall", "precision", pr, false)
	if err != nil {
		return err
	}
	const wd, ht = 10 * vg.Inch, 4.5 * vg.Inch
	img := vgimg.New(wd, ht)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	plots := [][]*plot.Plot{{rocPlot, prPlot}}
	canvases := plot.Align(plots, tiles, dc)
	for j := range plots[0] {
		plots[0][j].Draw(canvases[0][j])
	}
	png := vgimg.PngCanvas{Canvas: img}
	_, err = png.WriteTo(w)
	return err
}

// logROC plots recall against the false-positive rate on a log axis, one
// curve per set of negatives.
func logROC(ds *training.Dataset, h training.HeadEval) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("ROC, %s (log false-positive axis)", h.Kind)
	p.X.Label.Text = "false-positive rate"
	p.Y.Label.Text = "recall"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Y.Min, p.Y.Max = 0, 1.01
	p.Add(plotter.NewGrid())
	realN := 0
	for _, pr := range h.Predictions {
		if k := Categorise(ds.Rows[pr.Row]); !pr.Positive && (k == KindAuthentic || k == KindSealed) {
			realN++
		}
	}
	floor := 1 / (10 * float64(max(realN, 1)))
	p.X.Min, p.X.Max = floor, 1
	// Below one page in N the rate was not measured.
	shade, err := plotter.NewPolygon(plotter.XYs{{X: floor, Y: 0}, {X: 1 / float64(max(realN, 1)), Y: 0}, {X: 1 / float64(max(realN, 1)), Y: 1.01}, {X: floor, Y: 1.01}})
	if err != nil {
		return nil, err
	}
	shade.Color = color.Gray{Y: 225}
	shade.LineStyle.Width = 0
	p.Add(shade)
	p.Legend.Add(fmt.Sprintf("below 1 in %d: not measured", realN), shade)
	colors := []color.Color{color.RGBA{R: 200, G: 40, B: 40, A: 255}, color.RGBA{R: 40, G: 90, B: 200, A: 255}}
	threshold := 0.0
	for _, pr := range h.Predictions {
		threshold += pr.Threshold
	}
	threshold /= float64(max(len(h.Predictions), 1))
	sets := []struct {
		name string
		in   func(training.Row) bool
	}{
		{"real authentic pages", func(r training.Row) bool { k := Categorise(r); return k == KindAuthentic || k == KindSealed }},
		{"hard negatives", func(r training.Row) bool { return Categorise(r) == KindHardNegative }},
	}
	for k, set := range sets {
		var scores []float64
		var pos []bool
		for _, pr := range h.Predictions {
			if pr.Positive || set.in(ds.Rows[pr.Row]) {
				scores = append(scores, pr.Probability)
				pos = append(pos, pr.Positive)
			}
		}
		roc := metrics.ROC(scores, pos)
		xys := make(plotter.XYs, 0, len(roc))
		var mark plotter.XYs
		for _, pt := range roc {
			x := max(pt.X, floor)
			xys = append(xys, plotter.XY{X: x, Y: pt.Y})
			if mark == nil && pt.Threshold <= threshold {
				mark = plotter.XYs{{X: x, Y: pt.Y}}
			}
		}
		line, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("curve %s: %w", set.name, err)
		}
		line.Color = colors[k]
		line.Width = vg.Points(1.5)
		p.Add(line)
		p.Legend.Add(fmt.Sprintf("%s (AUC %.4f)", set.name, metrics.AUC(roc)), line)
		if mark != nil {
			sc, err := plotter.NewScatter(mark)
			if err != nil {
				return nil, err
			}
			sc.Color = colors[k]
			sc.Radius = vg.Points(4)
			p.Add(sc)
		}
	}
	p.Legend.Add(fmt.Sprintf("dots: mean threshold %.4f", threshold))
	p.Legend.Top, p.Legend.Left = false, false
	return p, nil
}

func curvePlot(title, x, y string, pts []metrics.Point, diagonal bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1.01
	p.Add(plotter.NewGrid())
	xys := make(plotter.XYs, len(pts))
	for i, pt := range pts {
		xys[i].X, xys[i].Y = pt.X, pt.Y
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("curve %s: %w", title, err)
	}
	line.Color = color.RGBA{R: 200, G: 40, B: 40, A: 255}
	line.Width = vg.Points(1.5)
	p.Add(line)
	if diagonal {
		d, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
		if err != nil {
			return nil, err
		}
		d.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
		d.Color = color.Gray{Y: 150}
		p.Add(d)
	}
	return p, nil
}
