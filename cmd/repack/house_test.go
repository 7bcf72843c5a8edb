package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The house rules: tests that keep the layering, the start-up and the
// module file as the README's architecture section says.

const (
	module     = "github.com/repack/repack"
	moduleRoot = "../.."
)

// TestLayering checks, over `go list -deps`, that no package reaches a
// layer above its own: the detector never the training code, nothing under
// features the detector, training, corpus or commands, and the corpus
// neither the detector nor training.
func TestLayering(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-deps=false", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", exitStderr(err))
	rules := []struct {
		from   string
		banned []string
	}{
		{"detector", []string{"training"}},
		{"features", []string{"detector", "training", "corpus", "cmd"}},
		{"corpus", []string{"detector", "training"}},
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := fields[0]
		for _, r := range rules {
			if !inLayer(pkg, r.from) {
				continue
			}
			checked++
			for _, dep := range fields[1:] {
				for _, b := range r.banned {
					assert.False(t, inLayer(dep, b), "%s reaches %s", pkg, dep)
				}
			}
		}
	}
	assert.Greater(t, checked, 10, "the rules saw the packages")
}

// inLayer reports whether an import path is the module's top-level
// directory layer or below it.
func inLayer(path, layer string) bool {
	p := module + "/" + layer
	return path == p || strings.HasPrefix(path, p+"/")
}

// TestNoInitFunctions: start-up has no hidden work that can fail. Package
// state that needs checking (the catalogue, the spam lexicon, the model)
// is built on first use and returns its error.
func TestNoInitFunctions(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(moduleRoot, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != moduleRoot || d.Name() == "internal_tmp") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files++
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Recv == nil && fn.Name.Name == "init" {
				t.Errorf("%s: func init", fset.Position(fn.Pos()))
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Greater(t, files, 50)
}

// TestModuleIsTidy: go.mod lists what the code imports, direct
// requirements apart from indirect ones.
func TestModuleIsTidy(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "mod", "tidy", "-diff")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	assert.NoError(t, err, "go mod tidy -diff: %s\n%s", exitStderr(err), out)
}

func exitStderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TestThirdPartyNoticesAreCurrent checks that THIRD_PARTY_NOTICES.md has a
// section for exactly the modules the binary is built from, at the
// versions it is built with (go generate ./cmd/repack rewrites it), and
// that the project's own LICENSE is there.
func TestThirdPartyNoticesAreCurrent(t *testing.T) {
	t.Parallel()
	cmd := exec.Command("go", "list", "-deps", "-f", `{{with .Module}}{{if not .Main}}## {{.Path}} {{.Version}}{{end}}{{end}}`, "./cmd/repack")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", exitStderr(err))
	want := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if l != "" {
			want[l] = true
		}
	}
	notices, err := os.ReadFile(filepath.Join(moduleRoot, "THIRD_PARTY_NOTICES.md"))
	require.NoError(t, err)
	have := map[string]bool{}
	for _, l := range strings.Split(string(notices), "\n") {
		if strings.HasPrefix(l, "## ") && strings.Count(l, " ") == 2 {
			have[l] = true
		}
	}
	require.NotEmpty(t, want)
	assert.Equal(t, want, have, "THIRD_PARTY_NOTICES.md is stale: run go generate ./cmd/repack")
	license, err := os.ReadFile(filepath.Join(moduleRoot, "LICENSE"))
	require.NoError(t, err)
	assert.Contains(t, string(license), "Apache License")
}

// TestCoreNeverNamesBeam keeps the Beam SDK out of the repack binary: the
// pipeline is a module of its own (cmd/repack-beam), so the core go.mod
// and go.sum name no Beam module and the binary's build list holds none.
func TestCoreNeverNamesBeam(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(moduleRoot, f))
		require.NoError(t, err)
		assert.NotContains(t, string(b), "apache/beam", f)
	}
	cmd := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "./cmd/repack")
	cmd.Dir = moduleRoot
	out, err := cmd.Output()
	require.NoError(t, err, "go list: %s", exitStderr(err))
	assert.NotContains(t, string(out), "apache/beam")
	_, err = os.Stat(filepath.Join(moduleRoot, "cmd", "repack-beam", "go.mod"))
	assert.NoError(t, err, "the pipeline is a module of its own")
}
