package report

import (
	"fmt"
	"image/color"
	"os"

	"github.com/repack/repack/training"
	"github.com/repack/repack/training/metrics"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Curves writes a PNG with the held-out ROC curve (left) and
// precision-recall curve (right) of one head.
func Curves(path string, h training.HeadEval) error {
	scores := make([]float64, len(h.Predictions))
	pos := make([]bool, len(h.Predictions))
	for i, p := range h.Predictions {
		scores[i], pos[i] = p.Probability, p.Positive
	}
	roc := metrics.ROC(scores, pos)
	pr := metrics.PR(scores, pos)
	rocPlot, err := curvePlot(fmt.Sprintf("ROC, %s (AUC %.4f)", h.Kind, metrics.AUC(roc)), "false-positive rate", "recall", roc, true)
	if err != nil {
		return err
	}
	prPlot, err := curvePlot(fmt.Sprintf("Precision-recall, %s (AP %.4f)", h.Kind, metrics.AveragePrecision(scores, pos)), "recall", "precision", pr, false)
	if err != nil {
		return err
	}
	const w, ht = 10 * vg.Inch, 4.5 * vg.Inch
	img := vgimg.New(w, ht)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: 2, PadX: vg.Millimeter * 4, PadY: vg.Millimeter * 2, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	plots := [][]*plot.Plot{{rocPlot, prPlot}}
	canvases := plot.Align(plots, tiles, dc)
	for j := range plots[0] {
		plots[0][j].Draw(canvases[0][j])
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("curves: %w", err)
	}
	png := vgimg.PngCanvas{Canvas: img}
	if _, err := png.WriteTo(f); err != nil {
		f.Close()
		return fmt.Errorf("curves %s: %w", path, err)
	}
	return f.Close()
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
