package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/repack/repack/features/fixture"
	"github.com/repack/repack/training/report"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The docs tests keep the README and docs/ honest: what they show a
// command printing is what it prints today, the figures they quote from a
// slow command's report are that report's, and their links lead
// somewhere. Sections a test rewrites are marked "<!-- begin NAME -->" and
// "<!-- end NAME -->" (fixture.GoldenSection; -update rewrites them).

// quickStartLines is how much of the example's report the README shows.
const quickStartLines = 24

// TestReadmeQuickStart runs the README's first command as written (in
// process: `repack score --example --exit-zero`, not on a terminal) and
// compares the beginning of what it prints with the README's copy.
func TestReadmeQuickStart(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	require.NoError(t, err)
	require.Contains(t, string(readme), "\ngo run ./cmd/repack score --example --exit-zero\n", "the quick start's command")
	code, out, errOut := runCLI(t, "", "score", "--example", "--exit-zero")
	require.Equal(t, exitAuthentic, code, "the quick start must not end in an exit status: %s", errOut)
	lines := strings.SplitAfter(out, "\n")
	require.Greater(t, len(lines), quickStartLines)
	got := "```\n" + strings.Join(lines[:quickStartLines], "") + "...\n```\n"
	fixture.GoldenSection(t, filepath.Join(moduleRoot, "README.md"), "quick-start", got)
}

// TestReadmeEvaluationIsTheReport checks that the README's evaluation
// summary is the one the committed report holds: the report is what the
// slow command (repack eval, next to it in the README) wrote, so the
// README's figures are that command's.
func TestReadmeEvaluationIsTheReport(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile(filepath.Join(moduleRoot, "docs", "evaluation.md"))
	require.NoError(t, err)
	s := string(doc)
	i := strings.Index(s, report.SummaryBegin+"\n")
	j := strings.Index(s, report.SummaryEnd)
	require.True(t, i >= 0 && j > i, "docs/evaluation.md has no summary: rerun the README's repack eval command")
	summary := s[i+len(report.SummaryBegin)+1 : j]
	require.Contains(t, summary, "| repackaged |")
	fixture.GoldenSection(t, filepath.Join(moduleRoot, "README.md"), "evaluation-summary", summary)
}

// docFiles lists README.md and the markdown files of docs/.
func docFiles(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob(filepath.Join(moduleRoot, "docs", "*.md"))
	require.NoError(t, err)
	return append([]string{filepath.Join(moduleRoot, "README.md")}, docs...)
}

// markdownLink matches a relative link target in markdown.
var markdownLink = regexp.MustCompile(`\]\(([^)#:\s]+)(#[^)]*)?\)`)

// TestDocLinksResolve checks that every relative link of README.md and
// docs/*.md names a file or directory of the repository.
func TestDocLinksResolve(t *testing.T) {
	t.Parallel()
	for _, doc := range docFiles(t) {
		f, err := os.Open(doc)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			for _, m := range markdownLink.FindAllStringSubmatch(sc.Text(), -1) {
				target := filepath.Join(filepath.Dir(doc), m[1])
				_, err := os.Stat(target)
				assert.NoError(t, err, fmt.Sprintf("%s:%d links to %s", doc, n, m[1]))
			}
		}
		require.NoError(t, sc.Err())
		f.Close()
	}
}

// readmeTestCommand is the README's test command, the one .ci/run runs.
const readmeTestCommand = "go vet ./... && go test -race -timeout 20m ./... && (cd cmd/repack-beam && go vet ./... && go test -timeout 10m ./...)"

// TestCIRunsTheReadmeTestCommand keeps the README's test command and
// .ci/run's last line the same text, and checks that it covers the
// nested Beam module, which `go test ./...` at the root does not reach.
func TestCIRunsTheReadmeTestCommand(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile(filepath.Join(moduleRoot, "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "\n"+readmeTestCommand+"\n", "the README shows the test command")
	ci, err := os.ReadFile(filepath.Join(moduleRoot, ".ci", "run"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(ci)), "\n")
	assert.Equal(t, readmeTestCommand, lines[len(lines)-1], ".ci/run ends with exactly the README's test command")
	mods, err := filepath.Glob(filepath.Join(moduleRoot, "cmd", "*", "go.mod"))
	require.NoError(t, err)
	for _, m := range mods {
		dir := filepath.ToSlash(filepath.Dir(strings.TrimPrefix(m, moduleRoot+string(filepath.Separator))))
		assert.Contains(t, readmeTestCommand, "cd "+dir+" && go vet ./... && go test", "the nested module %s is tested", dir)
	}
}
