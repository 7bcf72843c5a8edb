package repackaged

import (
	"math"
	"time"

	"github.com/repack/repack/features/article"
)

func sameDated(a, b article.DatedString) bool {
	return a.Origin == b.Origin && a.Text == b.Text && a.Offset == b.Offset
}

func gapDays(a, b time.Time) float64 {
	d := math.Abs(a.Sub(b).Hours() / 24)
	return math.Max(0, math.Round(d)-toleranceDays)
}
