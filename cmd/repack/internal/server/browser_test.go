package server

import (
	"context"
	"flag"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/repack/repack/detector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// updateScreenshot rewrites docs/serve-demo.png from the browser test.
var updateScreenshot = flag.Bool("update-screenshot", false, "write the demo page screenshot to docs/serve-demo.png")

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// findChromium returns the browser's path. Under CI=true a missing
// browser fails the test (.ci/run installs it); elsewhere it skips.
func findChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("chromium is not installed at %s; .ci/run installs Debian's chromium package", chromiumPath)
	}
	t.Skipf("chromium is not installed (apt-get install chromium); set CI=true to make this a failure")
	return ""
}

// markedSpan is one <mark> the demo page drew.
type markedSpan struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// TestDemoPageHighlightsTheSpliceInABrowser drives headless Chromium over
// the demo page with the embedded model, as a user meets it: it pastes a
// page shaped like the network's, clicks Score, and checks that the
// spliced brand in the lead is marked and that the probability claims no
// more precision than the model has; then it clicks "Try the example"
// and checks that the embedded example is scored.
func TestDemoPageHighlightsTheSpliceInABrowser(t *testing.T) {
	browser := findChromium(t)
	s := newDefaultModelServer(t)
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 1500),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	defer cancelCtx()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("page")),
		chromedp.SetValue(chromedp.ID("page"), splicedPage(t)),
		chromedp.SetValue(chromedp.ID("url"), "https://lakeshore-money.example/markets/2025/11/02/plow.html"),
		chromedp.Click(chromedp.ID("score")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-state="done"], #error:not([hidden])`)),
	), "drive the demo page")
	state, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.ID("result"), "data-state"))
	require.NoError(t, err)
	errText, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("error")))
	require.NoError(t, err)
	require.Equal(t, "done", state.Value, "the page shows an error instead of a verdict: %s", errText)

	label, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("label")))
	require.NoError(t, err)
	assert.Equal(t, "repackaged", label)
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]markedSpan](
		`[...document.querySelectorAll("#text mark")].map(m => ({title: m.title, text: m.textContent}))`))
	require.NoError(t, err)
	require.NotEmpty(t, marks, "evidence is marked in the text")

	// The marks carrying lead_brand_splice spell out the spliced brand
	// (overlapping spans of other features may cut it into pieces).
	var splice strings.Builder
	for _, m := range marks {
		if strings.Contains(m.Title, "lead_brand_splice") {
			splice.WriteString(m.Text)
		}
	}
	assert.Equal(t, splicedBrand, splice.String())

	reasons, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#reasons tr.reason").length`))
	require.NoError(t, err)
	assert.Positive(t, reasons, "the reasons table lists the features that fired")
	prob, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("probability")))
	require.NoError(t, err)
	assert.Contains(t, prob, "probability > 99.9%", "a calibrated probability near 1 is not shown as certainty")

	// The example button fills in the embedded example and scores it.
	_, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("result").dataset.state = "idle"; true`))
	require.NoError(t, err)
	require.NoError(t, chromedp.Do(ctx,
		chromedp.Click(chromedp.ID("try")),
		chromedp.WaitVisible(chromedp.CSS(`#result[data-state="done"], #error:not([hidden])`)),
	), "try the example")
	label, err = chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("label")))
	require.NoError(t, err)
	assert.Equal(t, "repackaged", label, "the example page is spam")
	pageURL, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("url")))
	require.NoError(t, err)
	assert.Equal(t, detector.ExampleURL, pageURL)

	if *updateScreenshot {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		out := filepath.Join("..", "..", "..", "..", "docs", "serve-demo.png")
		require.NoError(t, os.WriteFile(out, png, 0o644))
		t.Logf("wrote %s (%d bytes)", out, len(png))
	}
}
